import type { TimelineRecord } from '../backend.js';

/**
 * One digest handed to the application: the timeline key, its records
 * (newest first, never empty) and an id that is the same on every retry of
 * the same snapshot, so a receiver can drop duplicates.
 *
 * @example
 * ```ts
 * const deliver: DeliverFunction<Alert> = async ({ key, records, digestId, signal }) => {
 *   await mailer.send({ to: ownerOf(key), alerts: records.map((r) => r.value), idempotencyKey: digestId, signal });
 * };
 * ```
 */
export interface Delivery<V> {
  readonly key: string;
  readonly records: readonly TimelineRecord<V>[];
  /** Derived from the key and the snapshot's record keys and timestamps (see `digestIdOf`). */
  readonly digestId: string;
  /** Aborted when `stop({ timeout })` gives up waiting; throw to leave the records in place. */
  readonly signal: AbortSignal;
}

/**
 * Sends one digest; throwing keeps the records for the next attempt (at-least-once mode).
 *
 * @example
 * ```ts
 * const deliver: DeliverFunction<string> = ({ key, records }) => console.log(key, records.length);
 * ```
 */
export type DeliverFunction<V> = (delivery: Delivery<V>) => void | Promise<void>;

/**
 * `at-least-once` (default): `deliver` runs inside the digest, records are
 * removed only after it succeeds; a crash or a lost lease may deliver twice.
 * `at-most-once`: the digest commits first, then `deliver` runs; a failure
 * then loses those records, but nothing is ever delivered twice.
 *
 * @example
 * ```ts
 * new DigestWorker({ backend, deliver, mode: 'at-most-once' satisfies DeliveryMode });
 * ```
 */
export type DeliveryMode = 'at-least-once' | 'at-most-once';
