/**
 * The four things an operator can do to a key, each through the public
 * `Backend` API: flush it, remove records, delete it, delete quarantined
 * values. Every action is confirmed on its own page first (which works with
 * JavaScript off) and then runs as a POST carrying the CSRF token.
 *
 * @module
 */
import type { Backend } from '@digests/core';

/** The names of the actions, as they appear in URLs. */
export const ACTIONS = Object.freeze(['flush', 'remove', 'delete', 'delete-quarantined'] as const);

/** One action's name. */
export type ActionName = (typeof ACTIONS)[number];

/** Record keys one action may name at most. */
export const MAX_ACTION_RECORDS = 1000;

/**
 * An action, checked: what to do to which key.
 *
 * @example
 * ```ts
 * const action: ActionRequest = { action: 'remove', key: 'mail:p:1', records: ['e1'] };
 * ```
 */
export interface ActionRequest {
  readonly action: ActionName;
  readonly key: string;
  /** `remove`: the record keys (at least one); `delete-quarantined`: these, or all when empty. */
  readonly records: readonly string[];
}

/**
 * A request the dashboard cannot act on: a missing key, an unknown action.
 * Answered 400 with its message.
 *
 * @example
 * ```ts
 * throw new BadRequestError('an action needs a key');
 * ```
 */
export class BadRequestError extends Error {}

/**
 * Reads an action from form or query fields: `key`, then `record` (one
 * exact record key, may repeat) and `records` (several, one per line, as a
 * textarea sends them). A `payload` field — what the confirmation form
 * posts — carries key and record keys as base64url JSON instead, because a
 * browser turns a line feed inside a form value into CR LF, and keys may
 * hold line feeds.
 *
 * @example
 * ```ts
 * parseAction('remove', new URLSearchParams('key=mail%3Ap%3A1&records=e1%0Ae2'));
 * // { action: 'remove', key: 'mail:p:1', records: ['e1', 'e2'] }
 * ```
 */
export function parseAction(name: string | null, fields: URLSearchParams): ActionRequest {
  if (!ACTIONS.includes(name as ActionName)) {
    throw new BadRequestError(`unknown action "${name ?? ''}" (expected ${ACTIONS.join(', ')})`);
  }
  const action = name as ActionName;
  const payload = fields.get('payload');
  const { key, records } =
    payload === null
      ? {
          key: fields.get('key'),
          records: [
            ...fields.getAll('record'),
            ...fields
              .getAll('records')
              .flatMap((value) => value.split('\n'))
              // A textarea sends CR LF; a record key may hold spaces, so only \r goes.
              .map((line) => line.replace(/\r$/, '')),
          ],
        }
      : readPayload(payload);
  if (key === null || key === '') throw new BadRequestError(`${action} needs a key`);
  const named = records.filter((record) => record !== '');
  if (action === 'remove' && named.length === 0) {
    throw new BadRequestError('remove needs at least one record key');
  }
  if (named.length > MAX_ACTION_RECORDS) {
    throw new BadRequestError(`one action names at most ${MAX_ACTION_RECORDS} record keys`);
  }
  return { action, key, records: [...new Set(named)] };
}

/**
 * The confirmation form's `payload` field for `request`.
 *
 * @example
 * ```ts
 * encodePayload({ action: 'delete', key: 'a\nb', records: [] }); // 'eyJrZXkiOiJhXG5iIiwicmVjb3JkcyI6W119'
 * ```
 */
export function encodePayload(request: ActionRequest): string {
  return Buffer.from(
    JSON.stringify({ key: request.key, records: request.records }),
    'utf8',
  ).toString('base64url');
}

function readPayload(payload: string): { key: string | null; records: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError('the form payload is not one this dashboard made');
  }
  const { key, records } = (parsed ?? {}) as { key?: unknown; records?: unknown };
  if (
    typeof key !== 'string' ||
    !Array.isArray(records) ||
    !records.every((record) => typeof record === 'string')
  ) {
    throw new BadRequestError('the form payload is not one this dashboard made');
  }
  return { key, records };
}

/**
 * What the action will do, in words, for its confirmation page.
 *
 * @example
 * ```ts
 * describeAction({ action: 'flush', key: 'mail:p:1', records: [] });
 * // 'Flush: the key becomes ready now; the next worker pass digests it.'
 * ```
 */
export function describeAction(request: ActionRequest): string {
  const count = request.records.length;
  switch (request.action) {
    case 'flush':
      return 'Flush: the key becomes ready now; the next worker pass digests it.';
    case 'remove':
      return `Remove ${count === 1 ? 'this record' : `these ${count} records`} from the timeline (and from a snapshot left by a failed digest). They will never be delivered. The schedule stays as it is.`;
    case 'delete':
      return 'Delete the key: its records, any snapshot, its quarantined values, its last-processed time and its schedule entry. Nothing of it will be delivered.';
    case 'delete-quarantined':
      return count === 0
        ? 'Delete every quarantined value of this key for good.'
        : `Delete ${count === 1 ? 'this quarantined value' : `these ${count} quarantined values`} for good.`;
  }
}

/**
 * What an action did: a code and a count, carried in the redirect's query
 * string (never free text, so a link cannot put words on the page).
 *
 * @example
 * ```ts
 * const outcome: ActionOutcome = { done: 'removed', count: 1 };
 * ```
 */
export interface ActionOutcome {
  readonly done: 'flushed' | 'not-waiting' | 'removed' | 'deleted' | 'quarantine-deleted';
  readonly count: number;
}

/**
 * Runs the action through the backend.
 *
 * @example
 * ```ts
 * await runAction(backend, { action: 'remove', key: 'mail:p:1', records: ['e1'] }); // { done: 'removed', count: 1 }
 * ```
 */
export async function runAction(
  backend: Backend<unknown>,
  request: ActionRequest,
): Promise<ActionOutcome> {
  const { key, records } = request;
  switch (request.action) {
    case 'flush': {
      const before = await backend.inspect(key);
      await backend.flush(key);
      return { done: before.state === 'waiting' ? 'flushed' : 'not-waiting', count: 0 };
    }
    case 'remove':
      return { done: 'removed', count: await backend.remove(key, records) };
    case 'delete':
      await backend.delete(key);
      return { done: 'deleted', count: 1 };
    case 'delete-quarantined': {
      const count = await backend.deleteQuarantined(
        key,
        records.length === 0 ? undefined : records,
      );
      return { done: 'quarantine-deleted', count };
    }
  }
}

/**
 * The notice for an outcome read back from a query string, or `undefined`
 * for anything else.
 *
 * @example
 * ```ts
 * noticeOf('removed', '2'); // '2 records removed.'
 * ```
 */
export function noticeOf(done: string | null, count: string | null): string | undefined {
  const n = Number(count ?? '0');
  if (!Number.isSafeInteger(n) || n < 0) return undefined;
  const plural = (one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  switch (done) {
    case 'flushed':
      return 'Flushed: the key is ready now.';
    case 'not-waiting':
      return 'Nothing to flush: the key was not waiting.';
    case 'removed':
      return `${plural('record', 'records')} removed.`;
    case 'deleted':
      return 'Key deleted.';
    case 'quarantine-deleted':
      return `${plural('quarantined value', 'quarantined values')} deleted.`;
    default:
      return undefined;
  }
}
