import type { PeekedStoredRecord, ScheduleEntry, StoredRecord } from '@digests/core';

/**
 * Reads `[key, score, value, …]` (bulk strings as Buffers) into records; the
 * values stay the stored bytes.
 *
 * @example
 * ```ts
 * const records = readRecords(reply.slice(1));
 * ```
 */
export function readRecords(flat: readonly unknown[]): StoredRecord[] {
  const records: StoredRecord[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    records.push({
      key: text(flat[i]),
      timestamp: score(flat[i + 1]),
      value: flat[i + 2] as Buffer,
    });
  }
  return records;
}

/**
 * Reads `peek.lua`'s `[key, score, value, 0|1, …]` (1: in the snapshot) into
 * records, in the order replied.
 *
 * @example
 * ```ts
 * const page = readPeeked(reply);
 * ```
 */
export function readPeeked(flat: readonly unknown[]): PeekedStoredRecord[] {
  const records: PeekedStoredRecord[] = [];
  for (let i = 0; i + 3 < flat.length; i += 4) {
    records.push({
      key: text(flat[i]),
      timestamp: score(flat[i + 1]),
      value: flat[i + 2] as Buffer,
      inSnapshot: flat[i + 3] === 1,
    });
  }
  return records;
}

/**
 * Joins `[key, score, …]` (oldest first, as ZRANGE … WITHSCORES gives them)
 * with the values in the same order into records, newest first.
 *
 * @example
 * ```ts
 * const records = newestFirst(reply[1], reply[2]);
 * ```
 */
export function newestFirst(ids: readonly unknown[], values: readonly unknown[]): StoredRecord[] {
  const count = ids.length / 2;
  const records = new Array<StoredRecord>(count);
  for (let i = 0; i < count; i++) {
    records[count - 1 - i] = {
      key: text(ids[2 * i]),
      timestamp: score(ids[2 * i + 1]),
      value: values[i] as string | Buffer,
    };
  }
  return records;
}

/**
 * Reads `[key, score, …]` (ZRANGE … WITHSCORES) into schedule entries.
 *
 * @example
 * ```ts
 * const entries = readEntries(await client.callBuffer('ZRANGE', key, 0, -1, 'WITHSCORES'));
 * ```
 */
export function readEntries(flat: unknown): ScheduleEntry[] {
  const items = flat as readonly unknown[];
  const entries: ScheduleEntry[] = [];
  for (let i = 0; i + 1 < items.length; i += 2) {
    entries.push({ key: text(items[i]), timestamp: score(items[i + 1]) });
  }
  return entries;
}

/** A bulk string as UTF-8 text (keys are well-formed, so this is exact). */
export function text(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/** A score or time as Redis formats it (`%.17g`, `inf`) back to the same double. */
export function score(value: unknown): number {
  const written = text(value);
  if (written === 'inf' || written === '+inf') return Number.POSITIVE_INFINITY;
  if (written === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(written);
}

/**
 * A number as an argument for Redis or Lua: the shortest text that reads
 * back as the same double, infinities as Redis spells them.
 *
 * @example
 * ```ts
 * numberArgument(Infinity); // '+inf'
 * ```
 */
export function numberArgument(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}
