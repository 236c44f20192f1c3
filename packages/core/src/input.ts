import type { AddOptions, DigestFunction, DigestOptions, TimelineRecord } from './backend.js';
import type { EncodedValue } from './codecs/codec.js';
import { CodecError, ConfigurationError, InvalidRecordError } from './errors.js';
import { assertValidKey, assertValidRecord } from './keys.js';
import { delay, positiveInteger, type ResolvedOptions } from './options.js';
import type { StoreAdd } from './store.js';

/** An `add` whose input passed every check, with its value already encoded. */
export interface CheckedAdd {
  readonly key: string;
  readonly recordKey: string;
  readonly timestamp: number;
  readonly value: EncodedValue;
  readonly incrementDelay: number;
  readonly maximumDelay: number;
  /** A fixed due time replacing the backoff rule, when given. */
  readonly dueAt: number | undefined;
  /** The per-call or backend `flushThreshold`, when any. */
  readonly flushThreshold: number | undefined;
  /** Whether this add trims the timeline to `capacity` (drawn with `truncationChance`). */
  readonly truncate: boolean;
}

/**
 * Validates an `add` call and encodes its value, before anything is written.
 * Throws `InvalidKeyError`, `InvalidRecordError`, `CodecError` or
 * `ConfigurationError`.
 *
 * @example
 * ```ts
 * async add(key, record, options) {
 *   const add = checkAdd(key, record, options, this.#options);
 *   // … write add.value under add.recordKey …
 * }
 * ```
 */
export function checkAdd<V>(
  key: unknown,
  record: unknown,
  options: AddOptions | undefined,
  resolved: ResolvedOptions<V>,
): CheckedAdd {
  return toCheckedAdd(checkStoreAdd(key, record, options, resolved));
}

/**
 * {@link checkAdd} shaped as the store's step input, in one pass: the
 * front's hot path. Every add has the same object shape (absent options are
 * `undefined`, not missing): stores read these on their hottest path.
 *
 * @example
 * ```ts
 * const add = checkStoreAdd(key, record, options, this.#options);
 * await store.add([add], context);
 * ```
 */
export function checkStoreAdd<V>(
  key: unknown,
  record: unknown,
  options: AddOptions | undefined,
  resolved: ResolvedOptions<V>,
): StoreAdd {
  assertValidKey(key);
  assertValidRecord<V>(record);
  let incrementDelay = resolved.incrementDelay;
  let maximumDelay = resolved.maximumDelay;
  let dueAt: number | undefined;
  let flushThreshold = resolved.flushThreshold;
  // Most adds pass no options: no per-call object to check or build.
  if (options !== undefined) {
    ({ incrementDelay, maximumDelay, dueAt, flushThreshold } = checkAddOptions(options, resolved));
  }
  return {
    key,
    record: {
      key: record.key,
      timestamp: record.timestamp,
      value: encodeValue(resolved, record.value),
    },
    incrementDelay,
    maximumDelay,
    dueAt,
    flushThreshold,
    trimTo: drawTruncation(resolved) ? resolved.capacity : undefined,
  };
}

/**
 * The {@link CheckedAdd} form of a store add.
 *
 * @example
 * ```ts
 * const checked = toCheckedAdd(checkStoreAdd(key, record, options, resolved));
 * ```
 */
export function toCheckedAdd(add: StoreAdd): CheckedAdd {
  return {
    key: add.key,
    recordKey: add.record.key,
    timestamp: add.record.timestamp,
    value: add.record.value,
    incrementDelay: add.incrementDelay,
    maximumDelay: add.maximumDelay,
    dueAt: add.dueAt,
    flushThreshold: add.flushThreshold,
    truncate: add.trimTo !== undefined,
  };
}

/** Encodes a value with the backend's codec; throws `CodecError` or `InvalidRecordError`. */
function encodeValue<V>(resolved: ResolvedOptions<V>, value: V): EncodedValue {
  let encoded: EncodedValue;
  try {
    encoded = resolved.codec.encode(value);
  } catch (cause) {
    if (cause instanceof CodecError) throw cause;
    throw new CodecError(`codec ${resolved.codec.name} cannot encode the value`, { cause });
  }
  if (typeof encoded !== 'string' && !(encoded instanceof Uint8Array)) {
    throw new CodecError(`codec ${resolved.codec.name} must return a string or bytes`);
  }
  if (resolved.maxValueSize !== undefined) {
    const size =
      typeof encoded === 'string' ? Buffer.byteLength(encoded, 'utf8') : encoded.byteLength;
    if (size > resolved.maxValueSize) {
      throw new InvalidRecordError(
        `the encoded value is ${size} bytes; maxValueSize is ${resolved.maxValueSize}`,
      );
    }
  }
  return encoded;
}

/**
 * Checks the per-call options of `add` and applies the backend's defaults
 * (pass `resolved` = `undefined` to check only, as containers do).
 * Throws `ConfigurationError`.
 *
 * @example
 * ```ts
 * const { dueAt, flushThreshold } = checkAddOptions({ dueAt: tomorrow }, resolved);
 * ```
 */
export function checkAddOptions(
  options: AddOptions | undefined,
  resolved: Pick<
    ResolvedOptions<unknown>,
    'incrementDelay' | 'maximumDelay' | 'flushThreshold'
  > = CHECK_ONLY,
): {
  readonly incrementDelay: number;
  readonly maximumDelay: number;
  readonly dueAt: number | undefined;
  readonly flushThreshold: number | undefined;
} {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new ConfigurationError('add options must be an object');
  }
  const incrementDelay = delay(options?.incrementDelay, 'incrementDelay', resolved.incrementDelay);
  const maximumDelay = delay(options?.maximumDelay, 'maximumDelay', resolved.maximumDelay);
  const dueAt = options?.dueAt;
  if (dueAt !== undefined && (typeof dueAt !== 'number' || !Number.isFinite(dueAt))) {
    throw new ConfigurationError(`dueAt must be a finite time, got ${String(dueAt)}`);
  }
  const flushThreshold =
    positiveInteger(options?.flushThreshold, 'flushThreshold') ?? resolved.flushThreshold;
  return { incrementDelay, maximumDelay, dueAt, flushThreshold };
}

const CHECK_ONLY = { incrementDelay: 0, maximumDelay: 0, flushThreshold: undefined };

/**
 * Decodes a stored value, wrapping a codec failure in `CodecError`.
 *
 * @example
 * ```ts
 * const record = { key, timestamp, value: decodeValue(this.#options, stored) };
 * ```
 */
export function decodeValue<V>(resolved: ResolvedOptions<V>, data: EncodedValue): V {
  try {
    return resolved.codec.decode(data);
  } catch (cause) {
    if (cause instanceof CodecError) throw cause;
    throw new CodecError(`codec ${resolved.codec.name} cannot decode a stored value`, { cause });
  }
}

/**
 * Validates a `digest` call; resolves its `minimumDelay`.
 *
 * @example
 * ```ts
 * const { minimumDelay } = checkDigest(key, fn, options, this.#options);
 * ```
 */
export function checkDigest<V, R>(
  key: unknown,
  fn: DigestFunction<V, R>,
  options: DigestOptions | undefined,
  resolved: ResolvedOptions<V>,
): { readonly key: string; readonly minimumDelay: number; readonly limit: number | undefined } {
  assertValidKey(key);
  if (typeof fn !== 'function') throw new ConfigurationError('digest needs a function');
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new ConfigurationError('digest options must be an object');
  }
  return {
    key,
    minimumDelay: delay(options?.minimumDelay, 'minimumDelay', resolved.minimumDelay),
    limit: positiveInteger(options?.limit, 'limit'),
  };
}

/**
 * Draws whether an add trims to capacity: never without capacity, always
 * with chance 1, never with chance 0.
 *
 * @example
 * ```ts
 * if (drawTruncation(this.#options)) trim(timeline, this.#options.capacity);
 * ```
 */
export function drawTruncation(resolved: ResolvedOptions<unknown>): boolean {
  if (resolved.capacity === undefined || resolved.truncationChance <= 0) return false;
  return resolved.truncationChance >= 1 || Math.random() < resolved.truncationChance;
}

/** Decodes stored records into {@link TimelineRecord}s. */
export function decodeRecords<V>(
  resolved: ResolvedOptions<V>,
  stored: Iterable<{ key: string; timestamp: number; value: EncodedValue }>,
): TimelineRecord<V>[] {
  const records: TimelineRecord<V>[] = [];
  for (const { key, timestamp, value } of stored) {
    records.push({ key, timestamp, value: decodeValue(resolved, value) });
  }
  return records;
}
