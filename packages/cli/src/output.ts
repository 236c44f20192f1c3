/**
 * How commands print: people get aligned text, scripts get one JSON document
 * (or one JSON object per line for streams) with `--json`. Results go to
 * stdout; progress and errors go to stderr, so stdout stays parseable.
 *
 * @module
 */
import type { Delivery } from '@digests/core';
import type { CliIo } from './io.js';

/**
 * The printer a command receives.
 *
 * @example
 * ```ts
 * const out = new Output(io, json);
 * out.result({ waiting: 3 }, [['waiting', '3 keys']]);
 * ```
 */
export class Output {
  readonly #io: CliIo;
  readonly json: boolean;

  constructor(io: CliIo, json: boolean) {
    this.#io = io;
    this.json = json;
  }

  /** "Now", for relative times. */
  now(): number {
    return (this.#io.now ?? Date.now)();
  }

  /** Prints a command's result: `data` as JSON, or `rows` as aligned `label  value` lines. */
  result(data: unknown, rows: readonly (readonly [string, string])[]): void {
    if (this.json) {
      this.#io.stdout(`${JSON.stringify(data)}\n`);
      return;
    }
    const width = Math.max(...rows.map(([label]) => label.length));
    this.#io.stdout(rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join(''));
  }

  /**
   * Prints rows as an aligned table under a header (people), or `data` as
   * one JSON document (scripts). Numeric columns are right-aligned.
   *
   * @example
   * ```ts
   * out.table({ entries }, ['KEY', 'STATE', 'RECORDS'], [['mail:p:1', 'waiting', '3']]);
   * ```
   */
  table(data: unknown, header: readonly string[], rows: readonly (readonly string[])[]): void {
    if (this.json) {
      this.#io.stdout(`${JSON.stringify(data)}\n`);
      return;
    }
    // Nothing to show: the command says so on stderr, stdout stays empty.
    if (rows.length > 0) this.#io.stdout(formatTable(header, rows));
  }

  /** One entry of a stream (a delivered digest): a JSON line, or a text line. */
  event(data: unknown, text: string): void {
    this.#io.stdout(this.json ? `${JSON.stringify(data)}\n` : `${text}\n`);
  }

  /**
   * A delivered digest, as the `worker` and `add` commands print it: a header
   * line and one line per record (value cut to fit), or one JSON line.
   */
  delivery({
    key,
    records,
    digestId,
  }: Pick<Delivery<unknown>, 'key' | 'records' | 'digestId'>): void {
    if (this.json) {
      this.#io.stdout(`${JSON.stringify({ event: 'digest', key, digestId, records })}\n`);
      return;
    }
    const lines = [
      `${new Date(this.now()).toISOString()}  digest ${key}  ${records.length} record${records.length === 1 ? '' : 's'}  ${digestId}`,
      ...records.map((record) => {
        const value = JSON.stringify(record.value) ?? 'undefined';
        const shown = value.length > 80 ? `${value.slice(0, 79)}…` : value;
        return `  ${record.key}  ${new Date(record.timestamp).toISOString()}  ${shown}`;
      }),
    ];
    this.#io.stdout(`${lines.join('\n')}\n`);
  }

  /** Progress for people, on stderr; silent with `--json`. */
  progress(text: string): void {
    if (!this.json) this.#io.stderr(`${text}\n`);
  }

  /** A warning on stderr, JSON with `--json`. */
  warn(message: string, context?: Readonly<Record<string, unknown>>): void {
    this.#io.stderr(
      this.json
        ? `${JSON.stringify({ warning: message, ...plain(context) })}\n`
        : `digests: ${message}${describe(context)}\n`,
    );
  }

  /** A failure on stderr: `digests: message [CODE]`, or `{"error":{code,message}}`. */
  error(code: string, message: string): void {
    this.#io.stderr(
      this.json
        ? `${JSON.stringify({ error: { code, message } })}\n`
        : `digests: ${message} [${code}]\n`,
    );
  }
}

/**
 * Rows as aligned text: columns two spaces apart, numbers right-aligned,
 * the last column not padded.
 *
 * @example
 * ```ts
 * formatTable(['KEY', 'RECORDS'], [['mail:p:1', '3'], ['mail:p:10', '12']]);
 * // KEY        RECORDS
 * // mail:p:1         3
 * // mail:p:10       12
 * ```
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((row) => /^-?[\d.,]+$/.test(row[i] ?? '')),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => {
        if (numeric[i]) return cell.padStart(widths[i]!);
        return i === row.length - 1 ? cell : cell.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  return `${all.map(line).join('\n')}\n`;
}

/**
 * An ISO time with how far it is from now: `2025-03-14T09:05:00.000Z (in 4m 12s)`.
 *
 * @example
 * ```ts
 * formatWhen(Date.now() + 60_000, Date.now()); // '…Z (in 1m 00s)'
 * ```
 */
export function formatWhen(time: number, now: number): string {
  const distance = formatDuration(Math.abs(time - now));
  return `${new Date(time).toISOString()} (${time >= now ? `in ${distance}` : `${distance} ago`})`;
}

/**
 * A duration for people: `850ms`, `45s`, `4m 12s`, `2h 05m`, `3d 04h`.
 *
 * @example
 * ```ts
 * formatDuration(252_000); // '4m 12s'
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${pad(seconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${pad(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d ${pad(hours % 24)}h`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function plain(context?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(context ?? {})) {
    out[name] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  return out;
}

function describe(context?: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(context ?? {})
    .filter(([name]) => name !== 'timeline')
    .map(([name, value]) => `${name}=${value instanceof Error ? value.message : String(value)}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
