/**
 * One key: its state and score, size, last digest, its records newest first
 * (when the backend can peek), its quarantined values raw, and the actions.
 * Everything shown is bounded: one page of records, the first quarantined
 * values, each value cut at a limit.
 *
 * @module
 */
import type { Backend, QuarantinedRecord } from '@digests/core';
import { isoTime } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { hasPeek, type PeekPage } from '../peek.js';
import { rawView, valueView } from '../value-view.js';
import { href, layout, type PageContext, stateBadge, when } from './layout.js';

/** Records per page of the key page. */
export const RECORDS_PER_PAGE = 50;

/** Quarantined values shown on the key page at most. */
export const QUARANTINE_SHOWN = 50;

/**
 * What the key page was asked for.
 *
 * @example
 * ```ts
 * const query: KeyQuery = { key: 'mail:p:1', page: 1, valueLimit: 4000 };
 * ```
 */
export interface KeyQuery {
  readonly key: string;
  /** The peek cursor of this page of records. */
  readonly after?: string;
  readonly page: number;
  /** Characters of one value's JSON shown before it is cut. */
  readonly valueLimit: number;
  /** A message about an action just done (already worded by the handler). */
  readonly notice?: string;
}

/**
 * Renders the key page.
 *
 * @example
 * ```ts
 * const page = await keyDetailPage(ctx, backend, { key: 'mail:p:1', page: 1, valueLimit: 4000 });
 * ```
 */
export async function keyDetailPage(
  ctx: PageContext,
  backend: Backend<unknown>,
  query: KeyQuery,
): Promise<SafeHtml> {
  const { key } = query;
  const [info, quarantined, records] = await Promise.all([
    backend.inspect(key),
    backend.quarantined(key),
    hasPeek(backend)
      ? backend.peek(key, {
          limit: RECORDS_PER_PAGE,
          ...(query.after === undefined ? {} : { after: query.after }),
        })
      : undefined,
  ]);
  const confirm = (
    action: string,
    label: string,
    style: string,
    extra: Record<string, string> = {},
  ) =>
    html`<a class="button ${style}" id="action-${action}" href="${href(ctx, '/confirm', { action, key, ...extra })}">${label}</a>`;
  const actions = ctx.readOnly
    ? html`<p class="muted" id="read-only">Read-only: actions are disabled.</p>`
    : html`<div class="actions">
${info.state === 'waiting' ? confirm('flush', 'Flush (digest now)', 'primary') : ''}
${info.state === 'absent' && quarantined.length === 0 ? '' : confirm('delete', 'Delete key', 'danger')}
</div>`;
  return layout(
    ctx,
    key,
    'none',
    html`${query.notice === undefined ? '' : html`<div class="notice" id="notice">${query.notice}</div>`}
<p class="muted">Key</p>
<h1 id="key">${key}</h1>
<dl class="facts">
<dt>state</dt><dd id="state">${stateBadge(info.state)}</dd>
${
  info.score === undefined
    ? ''
    : html`<dt>${info.state === 'ready' ? 'ready since' : 'due'}</dt><dd id="score">${when(ctx, info.score)} <span class="muted">${isoTime(info.score)} · score ${info.score}</span></dd>`
}
<dt>records</dt><dd id="size">${info.size} <span class="muted">(timeline plus a snapshot left by a failed digest)</span></dd>
<dt>last processed</dt><dd id="last-processed">${
      info.lastProcessed === undefined
        ? html`<span class="muted">never, or forgotten</span>`
        : html`${when(ctx, info.lastProcessed)} <span class="muted">${isoTime(info.lastProcessed)}</span>`
    }</dd>
<dt>quarantined</dt><dd id="quarantined-count">${info.quarantined ?? 0}</dd>
</dl>
${actions}
<h2>Records <span class="muted">newest first</span></h2>
${records === undefined ? noPeek(ctx, key) : recordTable(ctx, key, records, query)}
<h2>Quarantined values <span class="muted">stored bytes the codec could not decode, oldest first</span></h2>
${quarantineTable(ctx, key, quarantined)}`,
  );
}

function noPeek(ctx: PageContext, key: string): SafeHtml {
  return html`<p class="muted" id="no-peek">This backend cannot list a timeline's records without digesting it (it has no <code>peek</code>). Its size is above.</p>
${ctx.readOnly ? '' : removeForm(ctx, key)}`;
}

function removeForm(ctx: PageContext, key: string): SafeHtml {
  return html`<form class="filters" method="get" action="${ctx.base}/confirm" id="remove-form">
<input type="hidden" name="action" value="remove"><input type="hidden" name="key" value="${key}">
<label>record keys to remove, one per line <textarea name="records" rows="2" cols="40"></textarea></label>
<button type="submit">Remove records…</button>
</form>`;
}

function recordTable(ctx: PageContext, key: string, page: PeekPage, query: KeyQuery): SafeHtml {
  if (page.records.length === 0 && query.after === undefined) {
    return html`<p class="muted" id="no-records">No records.</p>`;
  }
  const rows = page.records.map(
    (record) => html`<tr data-record="${record.key}">
<td class="key">${record.key}${record.inSnapshot ? html` <span class="tag">snapshot</span>` : ''}</td>
<td>${when(ctx, record.timestamp)}<br><span class="muted">${isoTime(record.timestamp)}</span></td>
<td>${record.raw === undefined ? valueView(record.value, query.valueLimit) : rawView(record.raw)}</td>
<td>${
      ctx.readOnly
        ? ''
        : html`<a class="button" href="${href(ctx, '/confirm', { action: 'remove', key, record: record.key })}">Remove…</a>`
    }</td>
</tr>\n`,
  );
  return html`<table id="records"><thead><tr><th>record key</th><th>timestamp</th><th>value</th><th></th></tr></thead><tbody>
${rows}</tbody></table>
<div class="pager">
<span class="muted">Page ${query.page} · ${RECORDS_PER_PAGE} records per page</span>
${query.after === undefined ? '' : html`<a href="${href(ctx, '/key', { key })}">← Newest</a>`}
${
  page.next === undefined
    ? ''
    : html`<a id="next-records" href="${href(ctx, '/key', { key, after: page.next, page: query.page + 1 })}">Older records →</a>`
}
</div>
${ctx.readOnly ? '' : removeForm(ctx, key)}`;
}

function quarantineTable(
  ctx: PageContext,
  key: string,
  values: readonly QuarantinedRecord[],
): SafeHtml {
  if (values.length === 0) return html`<p class="muted" id="no-quarantine">None.</p>`;
  const shown = values.slice(0, QUARANTINE_SHOWN);
  return html`<table id="quarantine"><thead><tr><th>record key</th><th>timestamp</th><th>stored value</th><th></th></tr></thead><tbody>
${shown.map(
  (value) => html`<tr data-record="${value.key}">
<td class="key">${value.key}</td>
<td>${isoTime(value.timestamp)}</td>
<td>${rawView(value.value)}</td>
<td>${
    ctx.readOnly
      ? ''
      : html`<a class="button" href="${href(ctx, '/confirm', { action: 'delete-quarantined', key, record: value.key })}">Delete…</a>`
  }</td>
</tr>\n`,
)}</tbody></table>
${values.length > shown.length ? html`<p class="muted">${values.length - shown.length} more not shown.</p>` : ''}
${
  ctx.readOnly
    ? ''
    : html`<div class="actions"><a class="button danger" id="action-delete-quarantined" href="${href(ctx, '/confirm', { action: 'delete-quarantined', key })}">Delete all quarantined values…</a></div>`
}`;
}
