/**
 * The overview: how many keys wait and are ready, what goes out next, and
 * which ready keys have waited longest for a digest (the schedule lag).
 *
 * @module
 */
import {
  type Backend,
  type BackendStats,
  hasStats,
  type ListEntry,
  type WorkerCounters,
} from '@digests/core';
import { formatDuration } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { href, layout, type PageContext, when } from './layout.js';

/** Rows in each of the overview's two tables. */
export const OVERVIEW_ROWS = 10;

/**
 * Renders the overview.
 *
 * @example
 * ```ts
 * const page = await overviewPage(ctx, backend, () => worker.counters);
 * ```
 */
export async function overviewPage(
  ctx: PageContext,
  backend: Backend<unknown>,
  counters?: () => WorkerCounters,
): Promise<SafeHtml> {
  const [stats, due, overdue] = await Promise.all([
    countsOf(backend),
    backend.list({ state: 'waiting', limit: OVERVIEW_ROWS }),
    backend.list({ state: 'ready', limit: OVERVIEW_ROWS }),
  ]);
  return layout(
    ctx,
    'Overview',
    'overview',
    html`<h1>Overview</h1>
${cards(ctx, stats)}
<h2>Next due</h2>
${dueTable(ctx, due.entries)}
${due.next ? html`<p><a href="${href(ctx, '/keys', { state: 'waiting', after: due.next, page: 2 })}">More waiting keys →</a></p>` : ''}
<h2>Most overdue ready keys <span class="muted">(schedule lag)</span></h2>
${lagTable(ctx, overdue.entries)}
${overdue.next ? html`<p><a href="${href(ctx, '/keys', { state: 'ready', after: overdue.next, page: 2 })}">More ready keys →</a></p>` : ''}
${counters === undefined ? '' : workerTable(counters())}`,
  );
}

/** Stats with an optional quarantined total, which a backend may add. */
type Counts = BackendStats & { readonly quarantined?: unknown };

async function countsOf(backend: Backend<unknown>): Promise<Counts | Error | undefined> {
  if (!hasStats(backend)) return undefined;
  try {
    return await backend.stats();
  } catch (error) {
    // Counting is a nicety: the tables below still tell what is due.
    return error instanceof Error ? error : new Error(String(error));
  }
}

function cards(ctx: PageContext, stats: Counts | Error | undefined): SafeHtml {
  if (stats === undefined || stats instanceof Error) {
    const why =
      stats === undefined
        ? 'this backend cannot count itself (no stats())'
        : `counting failed: ${stats.message}`;
    return html`<p class="muted" id="counts">Counts unavailable: ${why}. The lists below still page through every key.</p>`;
  }
  const card = (label: string, value: string | number, link: string, id: string) =>
    html`<div class="card" id="${id}"><a href="${link}"><div class="label">${label}</div><div class="value">${value}</div></a></div>`;
  const quarantined =
    typeof stats.quarantined === 'number'
      ? card('quarantined values', stats.quarantined, href(ctx, '/quarantine'), 'count-quarantined')
      : card('quarantined', 'scan →', href(ctx, '/quarantine'), 'count-quarantined');
  return html`<div class="cards" id="counts">
${card('waiting keys', stats.waiting, href(ctx, '/keys', { state: 'waiting' }), 'count-waiting')}
${card('ready keys', stats.ready, href(ctx, '/keys', { state: 'ready' }), 'count-ready')}
${card('records held', stats.records, href(ctx, '/keys'), 'count-records')}
${quarantined}
</div>
${stats.oldestDue === undefined ? '' : html`<p class="muted">Next key due ${when(ctx, stats.oldestDue)}.</p>`}`;
}

function keyLink(ctx: PageContext, key: string): SafeHtml {
  return html`<a href="${href(ctx, '/key', { key })}">${key}</a>`;
}

function dueTable(ctx: PageContext, entries: readonly ListEntry[]): SafeHtml {
  if (entries.length === 0) return html`<p class="muted">No key is waiting.</p>`;
  return html`<table id="next-due"><thead><tr><th>key</th><th>due</th><th class="num">records</th></tr></thead><tbody>
${entries.map(
  (entry) =>
    html`<tr><td class="key">${keyLink(ctx, entry.key)}</td><td class="${entry.score <= ctx.now ? 'late' : ''}">${
      entry.score <= ctx.now
        ? html`overdue, was due ${when(ctx, entry.score)}`
        : when(ctx, entry.score)
    }</td><td class="num">${entry.size}</td></tr>\n`,
)}</tbody></table>`;
}

function lagTable(ctx: PageContext, entries: readonly ListEntry[]): SafeHtml {
  if (entries.length === 0)
    return html`<p class="muted">No key is ready: nothing waits for a digest.</p>`;
  return html`<table id="overdue"><thead><tr><th>key</th><th>ready since</th><th class="num">lag</th><th class="num">records</th></tr></thead><tbody>
${entries.map(
  (entry) =>
    html`<tr><td class="key">${keyLink(ctx, entry.key)}</td><td>${when(ctx, entry.score)}</td><td class="num">${formatDuration(
      Math.max(0, ctx.now - entry.score),
    )}</td><td class="num">${entry.size}</td></tr>\n`,
)}</tbody></table>`;
}

function workerTable(counters: WorkerCounters): SafeHtml {
  const rows: [string, number][] = [
    ['passes', counters.passes],
    ['passes that could not reach the store', counters.passFailures],
    ['keys scheduled', counters.scheduled],
    ['keys rescued by maintenance', counters.maintained],
    ['records added through the worker', counters.recordsAdded],
    ['digests delivered', counters.digestsDelivered],
    ['records delivered', counters.recordsDelivered],
    ['empty digests (not delivered)', counters.emptyDigests],
    ['failed digests', counters.failures],
    ['taken by other workers', counters.leaseConflicts],
    ['leases lost', counters.leasesLost],
  ];
  return html`<h2>Worker in this process</h2>
<table id="worker"><tbody>${rows.map(
    ([label, value]) => html`<tr><td>${label}</td><td class="num">${value}</td></tr>`,
  )}</tbody></table>`;
}
