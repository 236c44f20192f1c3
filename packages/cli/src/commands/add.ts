/**
 * `digests add KEY --value JSON`: adds one record, for trying things. It goes
 * through a `DigestWorker`, like an application's adds: the first record of
 * a quiet timeline is delivered at once (printed here); later ones wait for
 * the schedule, and a running `digests worker` delivers them.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { type Backend, DigestWorker, parseJson } from '@digests/core';
import { UsageError } from '../errors.js';
import { formatWhen, type Output } from '../output.js';

/**
 * What `digests add` was given, as text.
 *
 * @example
 * ```ts
 * const input: AddInput = { key: 'mail:p:1', value: '{"text":"disk full"}' };
 * ```
 */
export interface AddInput {
  readonly key: string;
  /** The record's value, as JSON text. */
  readonly value: string;
  /** Default `cli-<uuid>`. */
  readonly recordKey?: string;
  /** Milliseconds since the epoch or an ISO date; default now. */
  readonly timestamp?: string;
}

/**
 * The record `digests add` will store, checked before the store is opened.
 *
 * @example
 * ```ts
 * const parsed = parseAddInput({ key: 'k', value: '{"a":1}' }, Date.now());
 * parsed.record.value; // { a: 1 }
 * ```
 */
export interface ParsedAdd {
  readonly key: string;
  readonly record: { readonly key: string; readonly value: unknown; readonly timestamp: number };
}

/**
 * Parses `--value` (JSON) and `--timestamp` (ms or ISO); throws
 * {@link UsageError} saying what is wrong.
 *
 * @example
 * ```ts
 * parseAddInput({ key: 'k', value: '{bad' }, Date.now()); // throws UsageError: --value:1:2 is not valid JSON: …
 * ```
 */
export function parseAddInput(input: AddInput, now: number): ParsedAdd {
  return {
    key: input.key,
    record: {
      key: input.recordKey ?? `cli-${randomUUID()}`,
      value: parseValue(input.value),
      timestamp: parseTimestamp(input.timestamp, now),
    },
  };
}

/**
 * Adds the record; prints the digest if it was delivered at once, then where
 * the timeline stands.
 *
 * @example
 * ```ts
 * await addCommand(backend, parseAddInput({ key: 'mail:p:1', value: '{"text":"hi"}' }, Date.now()), out);
 * // 2025-03-14T09:00:00.000Z  digest mail:p:1  1 record  5f1c…
 * //   cli-7d0e…  2025-03-14T09:00:00.000Z  {"text":"hi"}
 * // added      cli-7d0e… to mail:p:1
 * // delivered  at once: the first record of a quiet timeline is not held back
 * // state      waiting
 * // due        2025-03-14T09:05:00.000Z (in 5m 00s)
 * // records    0
 * ```
 */
export async function addCommand(backend: Backend, input: ParsedAdd, out: Output): Promise<void> {
  const { key: recordKey, timestamp } = input.record;
  const failures: unknown[] = [];
  const worker = new DigestWorker({
    backend,
    deliver: (delivery) => out.delivery(delivery),
    logger: {
      warn: (message, context) => out.warn(message, context),
      error: (message, context) => {
        failures.push(context?.error ?? new Error(message));
        out.warn(message, context);
      },
    },
  });
  const first = await worker.add(input.key, input.record);
  await worker.stop();
  const info = await backend.inspect(input.key);
  const rows: [string, string][] = [['added', `${recordKey} to ${input.key}`]];
  if (first) {
    rows.push([
      'delivered',
      failures.length === 0
        ? 'at once: the first record of a quiet timeline is not held back'
        : 'no: the delivery failed; the record stays for a worker to retry',
    ]);
  }
  rows.push(['state', info.state]);
  if (info.score !== undefined) {
    rows.push([info.state === 'ready' ? 'ready since' : 'due', formatWhen(info.score, out.now())]);
  }
  rows.push(['records', String(info.size)]);
  out.result(
    {
      event: 'added',
      key: input.key,
      recordKey,
      timestamp,
      deliveredAtOnce: first && failures.length === 0,
      ...info,
    },
    rows,
  );
}

function parseValue(text: string): unknown {
  try {
    return parseJson(text, '--value');
  } catch (error) {
    // "--value:1:9 is not valid JSON: …": where in the value, and why.
    throw new UsageError(`${(error as Error).message}; e.g. --value '{"text":"hi"}'`);
  }
}

function parseTimestamp(text: string | undefined, now: number): number {
  if (text === undefined) return now;
  const time = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(time)) {
    throw new UsageError(
      `--timestamp must be milliseconds since the epoch or an ISO date, got "${text}"`,
    );
  }
  return time;
}
