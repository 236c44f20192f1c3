/**
 * Reading a key's pending records without digesting them. The `Backend`
 * contract has no such read, so the dashboard asks for it as an optional
 * capability (like `stats()`): a backend that has `peek` gets its records
 * listed on the key page; any other backend's key page shows the counts
 * and the quarantined values, and its "remove" form takes record keys typed
 * by the operator.
 *
 * @module
 */
import type { Backend } from '@digests/core';

/**
 * One record as `peek` shows it: decoded when the codec can, raw otherwise.
 *
 * @example
 * ```ts
 * const shown: PeekedRecord = { key: 'e1', timestamp: 1_700_000_000_000, value: { text: 'hi' } };
 * ```
 */
export interface PeekedRecord {
  readonly key: string;
  readonly timestamp: number;
  /** The decoded value; absent when {@link PeekedRecord.raw} is set. */
  readonly value?: unknown;
  /** The stored value, when the codec could not decode it. */
  readonly raw?: string | Uint8Array;
  /** The record sits in the snapshot of a digest (running, or left by a failed one). */
  readonly inSnapshot?: boolean;
}

/**
 * Options of {@link PeekSource.peek}.
 *
 * @example
 * ```ts
 * const page = await backend.peek('mail:p:1', { limit: 50, after: previous.next });
 * ```
 */
export interface PeekOptions {
  /** The `next` cursor of the previous page. */
  readonly after?: string;
  /** Records per page (the dashboard asks for 50). */
  readonly limit: number;
}

/**
 * One page of records, newest first (timestamp descending, then record key
 * descending); `next` is absent on the last page.
 *
 * @example
 * ```ts
 * const { records, next } = await backend.peek('mail:p:1', { limit: 50 });
 * ```
 */
export interface PeekPage {
  readonly records: readonly PeekedRecord[];
  readonly next?: string;
}

/**
 * The optional capability: read a page of a timeline's records (timeline
 * plus snapshot) without changing anything — no lease, no schedule change.
 * A store-backed backend needs one read-only store step for it: the records
 * of one key ordered by (timestamp, record key) descending, after a
 * position, at most `limit` — one indexed range read on every store.
 *
 * @example
 * ```ts
 * class PeekingBackend extends MemoryBackend implements PeekSource {
 *   async peek(key: string, options: PeekOptions): Promise<PeekPage> { … }
 * }
 * ```
 */
export interface PeekSource {
  peek(key: string, options: PeekOptions): Promise<PeekPage>;
}

/**
 * Whether `backend` can list a key's records.
 *
 * @example
 * ```ts
 * const page = hasPeek(backend) ? await backend.peek(key, { limit: 50 }) : undefined;
 * ```
 */
export function hasPeek<V>(backend: Backend<V>): backend is Backend<V> & PeekSource {
  return typeof (backend as Partial<PeekSource>).peek === 'function';
}
