/**
 * `digests quarantine KEY [--delete [RECORD…]]`: the values of a timeline
 * its codec could not decode, set aside by a digest (never dropped
 * silently). Shows them raw; `--delete` deletes all of them, or the named
 * records.
 *
 * @module
 */
import type { Backend, QuarantinedRecord } from '@digests/core';
import type { Output } from '../output.js';

/**
 * Lists (or deletes) the quarantined values of `key`.
 *
 * @example
 * ```ts
 * await quarantineCommand(backend, 'mail:p:1', { delete: false, recordKeys: [] }, out);
 * // RECORD  TIMESTAMP                 BYTES  VALUE
 * // e7      2025-03-14T09:00:00.000Z     12  "{not json"
 * ```
 */
export async function quarantineCommand(
  backend: Backend,
  key: string,
  options: { readonly delete: boolean; readonly recordKeys: readonly string[] },
  out: Output,
): Promise<void> {
  if (options.delete) {
    const named = options.recordKeys.length > 0 ? options.recordKeys : undefined;
    const deleted = await backend.deleteQuarantined(key, named);
    out.result({ key, deleted }, [
      ['deleted', `${deleted} quarantined value${deleted === 1 ? '' : 's'} of ${key}`],
    ]);
    return;
  }
  const records = await backend.quarantined(key);
  out.table(
    { key, records: records.map(plain) },
    ['RECORD', 'TIMESTAMP', 'BYTES', 'VALUE'],
    records.map((record) => {
      const { value, bytes } = shown(record.value);
      return [record.key, new Date(record.timestamp).toISOString(), String(bytes), value];
    }),
  );
  if (records.length === 0) out.progress(`quarantine: ${key} has no quarantined values`);
}

/** A value for JSON output: text as is, bytes as base64. */
function plain(record: QuarantinedRecord): Record<string, unknown> {
  return typeof record.value === 'string'
    ? { key: record.key, timestamp: record.timestamp, value: record.value }
    : {
        key: record.key,
        timestamp: record.timestamp,
        base64: Buffer.from(record.value).toString('base64'),
      };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Raw text quoted (control characters escaped); bytes the same when they are
 * UTF-8, else as hex; cut to fit a line.
 */
function shown(value: string | Uint8Array): { value: string; bytes: number } {
  let text: string;
  try {
    text = JSON.stringify(typeof value === 'string' ? value : utf8.decode(value));
  } catch {
    text = `0x${Buffer.from(value as Uint8Array).toString('hex')}`;
  }
  const bytes = typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength;
  return { value: text.length > 60 ? `${text.slice(0, 59)}…` : text, bytes };
}
