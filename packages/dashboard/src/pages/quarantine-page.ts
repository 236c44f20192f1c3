/**
 * Which keys hold quarantined values. No backend call counts them across
 * keys, so this page reads keys in schedule order and inspects each; one
 * request reads at most {@link QUARANTINE_SCAN} keys and offers to go on.
 * A key whose timeline is gone but whose quarantine remains is absent from
 * the schedule, so only `inspect` of that key finds it.
 *
 * @module
 */
import type { Backend, ListEntry } from '@digests/core';
import { html, type SafeHtml } from '../html.js';
import { href, layout, type PageContext, stateBadge } from './layout.js';

/** Keys one request of the quarantine page inspects at most. */
export const QUARANTINE_SCAN = 1000;

/** Inspections in flight at once: keeps a remote store's round trips overlapped but polite. */
const PARALLEL = 16;

/**
 * Renders one scan step of the quarantine page.
 *
 * @example
 * ```ts
 * const page = await quarantinePage(ctx, backend, { page: 1 });
 * ```
 */
export async function quarantinePage(
  ctx: PageContext,
  backend: Backend<unknown>,
  query: { readonly after?: string; readonly page: number },
): Promise<SafeHtml> {
  const list = await backend.list({
    limit: QUARANTINE_SCAN,
    ...(query.after === undefined ? {} : { after: query.after }),
  });
  const found: { entry: ListEntry; quarantined: number }[] = [];
  for (let at = 0; at < list.entries.length; at += PARALLEL) {
    const batch = list.entries.slice(at, at + PARALLEL);
    const infos = await Promise.all(batch.map((entry) => backend.inspect(entry.key)));
    infos.forEach((info, i) => {
      if ((info.quarantined ?? 0) > 0)
        found.push({ entry: batch[i]!, quarantined: info.quarantined! });
    });
  }
  const first = (query.page - 1) * QUARANTINE_SCAN + 1;
  return layout(
    ctx,
    'Quarantine',
    'quarantine',
    html`<h1>Quarantined values</h1>
<p class="muted">Values the codec could not decode are set aside by a digest, never dropped. ${
      list.entries.length === 0
        ? 'No scheduled keys to inspect here.'
        : `Keys ${first}–${first + list.entries.length - 1} in schedule order were inspected for this page.`
    }</p>
<form class="filters" method="get" action="${ctx.base}/key"><label>look up a key <input name="key" required></label><button type="submit">Open</button></form>
${
  found.length === 0
    ? html`<p class="muted" id="no-quarantine">No quarantined values among these keys.</p>`
    : html`<table id="quarantined-keys"><thead><tr><th>key</th><th>state</th><th class="num">quarantined</th><th class="num">records</th></tr></thead><tbody>
${found.map(
  ({ entry, quarantined }) =>
    html`<tr><td class="key"><a href="${href(ctx, '/key', { key: entry.key })}">${entry.key}</a></td><td>${stateBadge(entry.state)}</td><td class="num">${quarantined}</td><td class="num">${entry.size}</td></tr>\n`,
)}</tbody></table>`
}
<div class="pager">${
      list.next === undefined
        ? html`<span class="muted">Every scheduled key has been inspected.</span>`
        : html`<a id="next-page" href="${href(ctx, '/quarantine', { after: list.next, page: query.page + 1 })}">Inspect the next ${QUARANTINE_SCAN} keys →</a>`
    }</div>`,
  );
}
