/**
 * A page of keys filtered by prefix, through `Backend.list` alone. `list`
 * has no filter, so the dashboard reads whole pages in schedule order and
 * keeps the matches; one request reads at most `scanLimit` keys, so a rare
 * prefix over millions of keys costs several clicks, never one unbounded
 * request. Cursors stay the backend's own (opaque) `next` values.
 *
 * @module
 */
import type { Backend, ListEntry } from '@digests/core';

/**
 * What to list.
 *
 * @example
 * ```ts
 * const request: KeyPageRequest = { state: 'waiting', prefix: 'mail:', limit: 50 };
 * ```
 */
export interface KeyPageRequest {
  readonly state?: 'waiting' | 'ready';
  readonly prefix?: string;
  /** A `next` cursor of the backend. */
  readonly after?: string;
  /** Keys per page. */
  readonly limit: number;
  /** With a prefix: the most keys one request reads. Default 5 000. */
  readonly scanLimit?: number;
}

/**
 * One page: the keys shown, the cursor of the next page, and how many keys
 * were read to find them.
 *
 * @example
 * ```ts
 * const { entries, next, scanned } = await keyPage(backend, { limit: 50 });
 * ```
 */
export interface KeyPage {
  readonly entries: readonly ListEntry[];
  readonly next?: string;
  readonly scanned: number;
}

/** Keys one `list` call of a filtered request reads. */
const SCAN_PAGE = 250;

/** Keys one filtered request reads at most, by default. */
export const DEFAULT_SCAN_LIMIT = 5000;

/**
 * Reads one page of keys, filtered by prefix when one is given.
 *
 * @example
 * ```ts
 * let page = await keyPage(backend, { prefix: 'mail:', limit: 50 });
 * if (page.next) page = await keyPage(backend, { prefix: 'mail:', limit: 50, after: page.next });
 * ```
 */
export async function keyPage(
  backend: Backend<unknown>,
  request: KeyPageRequest,
): Promise<KeyPage> {
  const base = request.state === undefined ? {} : { state: request.state };
  const prefix = request.prefix ?? '';
  if (prefix === '') {
    const page = await backend.list({
      ...base,
      limit: request.limit,
      ...(request.after === undefined ? {} : { after: request.after }),
    });
    return { ...page, scanned: page.entries.length };
  }
  const budget = request.scanLimit ?? DEFAULT_SCAN_LIMIT;
  const found: ListEntry[] = [];
  let after = request.after;
  let scanned = 0;
  // Whole pages only: a cursor can resume only where a page ended, so one
  // request shows fewer than limit + SCAN_PAGE matches. Pages larger than
  // `limit` keep the number of round trips down on a remote store.
  const scanPage = Math.max(request.limit, SCAN_PAGE);
  while (found.length < request.limit && scanned < budget) {
    const page = await backend.list({
      ...base,
      limit: Math.min(scanPage, budget - scanned),
      ...(after === undefined ? {} : { after }),
    });
    scanned += page.entries.length;
    for (const entry of page.entries) if (entry.key.startsWith(prefix)) found.push(entry);
    after = page.next;
    if (after === undefined) break;
  }
  return { entries: found, scanned, ...(after === undefined ? {} : { next: after }) };
}
