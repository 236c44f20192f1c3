/**
 * `digests list [--state waiting|ready] [--limit N]`: keys in schedule
 * order (due time, then key), paged through `Backend.list`.
 *
 * @module
 */
import type { Backend, ListEntry } from '@digests/core';
import { formatWhen, type Output } from '../output.js';

/**
 * What `digests list` was asked for.
 *
 * @example
 * ```ts
 * const options: ListCommandOptions = { state: 'ready', limit: 50 };
 * ```
 */
export interface ListCommandOptions {
  readonly state?: 'waiting' | 'ready';
  /** Show at most this many keys. */
  readonly limit: number;
  /** After this long paging (ms), a progress line goes to stderr. Default 1000. */
  readonly progressAfter?: number;
}

/** Keys fetched per `list` call. */
const PAGE = 1000;

/**
 * Pages through the keys and prints them as a table (or one JSON document:
 * `{"entries":[…],"more":false}`); `more` says keys were left out by `--limit`.
 *
 * @example
 * ```ts
 * await listCommand(backend, { state: 'waiting', limit: 100 }, out);
 * // KEY       STATE    DUE                                          RECORDS
 * // mail:p:1  waiting  2025-03-14T09:05:00.000Z (in 4m 12s)               3
 * ```
 */
export async function listCommand(
  backend: Backend,
  options: ListCommandOptions,
  out: Output,
): Promise<void> {
  const entries: ListEntry[] = [];
  const began = out.now();
  let after: string | undefined;
  let more = false;
  let pages = 0;
  for (;;) {
    const page = await backend.list({
      ...(options.state === undefined ? {} : { state: options.state }),
      ...(after === undefined ? {} : { after }),
      limit: Math.min(PAGE, options.limit - entries.length),
    });
    entries.push(...page.entries);
    pages++;
    if (page.next === undefined) break;
    if (entries.length >= options.limit) {
      more = true;
      break;
    }
    after = page.next;
    if (out.now() - began >= (options.progressAfter ?? 1000)) {
      out.progress(`list: ${entries.length} keys in ${pages} pages so far…`);
    }
  }
  const now = out.now();
  out.table(
    { entries, more },
    ['KEY', 'STATE', 'DUE / READY SINCE', 'RECORDS'],
    entries.map((entry) => [
      entry.key,
      entry.state,
      formatWhen(entry.score, now),
      String(entry.size),
    ]),
  );
  if (entries.length === 0)
    out.progress(`list: no ${options.state ?? ''}${options.state ? ' ' : ''}keys`);
  if (more) out.progress(`list: showing the first ${entries.length}; raise --limit to see more`);
}
