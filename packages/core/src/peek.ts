/**
 * Reading a timeline's pending records without digesting them: no lease, no
 * schedule change. Operators use it (the dashboard's key page, the CLI) to
 * answer "what is waiting for this user?".
 *
 * @module
 */
import type { Backend } from './backend.js';
import type { EncodedValue } from './codecs/codec.js';
import { ConfigurationError } from './errors.js';
import { positiveInteger } from './options.js';
import { compareCodePoints } from './ordering.js';

/** Records per `peek` page when the caller does not say. */
export const DEFAULT_PEEK_LIMIT = 50;

/** The most records one `peek` page may hold. */
export const MAX_PEEK_LIMIT = 1000;

/**
 * One record as `peek` shows it: decoded when the codec can, raw otherwise.
 *
 * @example
 * ```ts
 * const shown: PeekedRecord = { key: 'e1', timestamp: 1_700_000_000_000, value: { text: 'hi' }, inSnapshot: false };
 * ```
 */
export interface PeekedRecord<V = unknown> {
  readonly key: string;
  readonly timestamp: number;
  /** The decoded value; absent when {@link PeekedRecord.raw} is set. */
  readonly value?: V;
  /** The stored value, when the codec could not decode it. */
  readonly raw?: EncodedValue;
  /** The record sits in the snapshot of a digest (running, or left by a failed one). */
  readonly inSnapshot: boolean;
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
  /** Records per page, 1 to 1000. Default 50. */
  readonly limit?: number;
}

/**
 * One page of records, newest first (timestamp descending, then record key
 * descending, a timeline record before a snapshot record of the same key);
 * `next` is absent on the last page.
 *
 * @example
 * ```ts
 * const { records, next } = await backend.peek('mail:p:1');
 * ```
 */
export interface PeekPage<V = unknown> {
  readonly records: readonly PeekedRecord<V>[];
  readonly next?: string;
}

/**
 * The capability to read a page of a timeline's records (timeline plus
 * snapshot) without changing anything. Every store-backed backend has it;
 * containers merge it.
 *
 * @example
 * ```ts
 * if (hasPeek(backend)) console.log((await backend.peek('mail:p:1')).records);
 * ```
 */
export interface PeekSource<V = unknown> {
  peek(key: string, options?: PeekOptions): Promise<PeekPage<V>>;
}

/**
 * Whether `backend` can list a key's records.
 *
 * @example
 * ```ts
 * const page = hasPeek(backend) ? await backend.peek(key, { limit: 50 }) : undefined;
 * ```
 */
export function hasPeek<V>(backend: Backend<V>): backend is Backend<V> & PeekSource<V> {
  return typeof (backend as Partial<PeekSource<V>>).peek === 'function';
}

/** A position in peek order: strictly after this record. */
export interface PeekPosition {
  readonly timestamp: number;
  readonly key: string;
  readonly inSnapshot: boolean;
}

/**
 * Peek order: timestamp descending, record key descending (code points), a
 * timeline record before a snapshot record of the same key.
 *
 * @example
 * ```ts
 * records.sort(comparePeekPositions);
 * ```
 */
export function comparePeekPositions(a: PeekPosition, b: PeekPosition): number {
  return (
    b.timestamp - a.timestamp ||
    compareCodePoints(b.key, a.key) ||
    Number(a.inSnapshot) - Number(b.inSnapshot)
  );
}

/**
 * The opaque `next` cursor of a page that ends at `last`.
 *
 * @example
 * ```ts
 * const next = peekCursor({ key: 'e1', timestamp: 5, inSnapshot: false });
 * ```
 */
export function peekCursor(last: PeekPosition): string {
  const payload = [last.timestamp, last.key, last.inSnapshot ? 1 : 0];
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/**
 * Checks `peek` options: the cursor (made by {@link peekCursor}) and limit.
 *
 * @example
 * ```ts
 * const { after, limit } = checkPeekOptions({ limit: 20 });
 * ```
 */
export function checkPeekOptions(options: PeekOptions | undefined): {
  readonly after: PeekPosition | undefined;
  readonly limit: number;
} {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new ConfigurationError('peek options must be an object');
  }
  const limit = positiveInteger(options?.limit, 'limit') ?? DEFAULT_PEEK_LIMIT;
  if (limit > MAX_PEEK_LIMIT) {
    throw new ConfigurationError(`peek: limit must be at most ${MAX_PEEK_LIMIT}, got ${limit}`);
  }
  if (options?.after === undefined) return { after: undefined, limit };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(String(options.after), 'base64url').toString('utf8'));
  } catch (cause) {
    throw new ConfigurationError('peek: after is not a cursor this backend made', { cause });
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'number' ||
    !Number.isFinite(parsed[0]) ||
    typeof parsed[1] !== 'string' ||
    (parsed[2] !== 0 && parsed[2] !== 1)
  ) {
    throw new ConfigurationError('peek: after is not a cursor this backend made');
  }
  return { after: { timestamp: parsed[0], key: parsed[1], inSnapshot: parsed[2] === 1 }, limit };
}
