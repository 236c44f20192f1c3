/**
 * Reading a key's pending records without digesting them is core's `peek`
 * (every store-backed backend and container has it); the dashboard uses it
 * through `hasPeek`, so a backend without it still gets a key page with
 * counts and quarantined values.
 *
 * @module
 */
export {
  hasPeek,
  type PeekedRecord,
  type PeekOptions,
  type PeekPage,
  type PeekSource,
} from '@digests/core';
