/**
 * Keys by state, one page at a time in schedule order, with a key-prefix
 * filter. Paging follows the backend's cursors: "next" and "first", never
 * an offset, so a deep page costs what the first one does.
 *
 * @module
 */
import type { Backend } from '@digests/core';
import { keyPage } from '../filtered-list.js';
import { html, type SafeHtml } from '../html.js';
import { href, layout, type PageContext, stateBadge, when } from './layout.js';

/**
 * What the keys page was asked for (its query string, checked).
 *
 * @example
 * ```ts
 * const query: KeysQuery = { state: 'ready', prefix: 'mail:', page: 1, limit: 50 };
 * ```
 */
export interface KeysQuery {
  readonly state?: 'waiting' | 'ready';
  readonly prefix?: string;
  readonly after?: string;
  /** The page number shown (1 for the first); the cursor does the paging. */
  readonly page: number;
  readonly limit: number;
}

/**
 * Renders one page of keys.
 *
 * @example
 * ```ts
 * const page = await keysPage(ctx, backend, { state: 'waiting', page: 1, limit: 50 });
 * ```
 */
export async function keysPage(
  ctx: PageContext,
  backend: Backend<unknown>,
  query: KeysQuery,
): Promise<SafeHtml> {
  const page = await keyPage(backend, {
    limit: query.limit,
    ...(query.state === undefined ? {} : { state: query.state }),
    ...(query.prefix === undefined ? {} : { prefix: query.prefix }),
    ...(query.after === undefined ? {} : { after: query.after }),
  });
  const title = query.state === undefined ? 'All keys' : `${capital(query.state)} keys`;
  const keep = {
    state: query.state,
    prefix: query.prefix,
    limit: query.limit === 50 ? undefined : query.limit,
  };
  const rows = page.entries.map(
    (entry) => html`<tr>
<td class="key"><a href="${href(ctx, '/key', { key: entry.key })}">${entry.key}</a></td>
<td>${stateBadge(entry.state)}</td>
<td>${entry.state === 'waiting' ? 'due ' : 'ready since '}${when(ctx, entry.score)}</td>
<td class="num">${entry.size}</td>
</tr>\n`,
  );
  const option = (value: string, label: string) =>
    html`<option value="${value}"${(query.state ?? '') === value ? html` selected` : ''}>${label}</option>`;
  return layout(
    ctx,
    title,
    query.state ?? 'all',
    html`<h1>${title}</h1>
<form class="filters" method="get" action="${ctx.base}/keys">
<label>state <select name="state">${option('', 'both')}${option('waiting', 'waiting')}${option('ready', 'ready')}</select></label>
<label>key prefix <input name="prefix" value="${query.prefix ?? ''}" placeholder="mail:"></label>
<button type="submit">Filter</button>
</form>
${
  page.entries.length === 0
    ? html`<p class="muted" id="no-keys">${
        query.prefix
          ? `No key starting with "${query.prefix}" among the ${page.scanned} keys read.`
          : 'No keys here.'
      }</p>`
    : html`<table id="keys"><thead><tr><th>key</th><th>state</th><th>when</th><th class="num">records</th></tr></thead><tbody>
${rows}</tbody></table>`
}
<div class="pager">
<span class="muted">Page ${query.page}${query.prefix ? ` · ${page.scanned} keys read for this page` : ''}</span>
${query.after === undefined ? '' : html`<a id="first-page" href="${href(ctx, '/keys', keep)}">← First page</a>`}
${
  page.next === undefined
    ? html`<span class="muted">Last page</span>`
    : html`<a id="next-page" rel="next" href="${href(ctx, '/keys', { ...keep, after: page.next, page: query.page + 1 })}">Next page →</a>`
}
</div>`,
  );
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
