/**
 * What every page shares: the request's context, links under the mount
 * path, the document frame with its navigation, and small pieces (a state
 * badge, a relative time).
 *
 * @module
 */
import { isoTime, relativeTime } from '../format.js';
import { type HtmlValue, html, type SafeHtml } from '../html.js';

/**
 * What a page needs to know about the request it answers.
 *
 * @example
 * ```ts
 * const ctx: PageContext = { base: '/digests', now: Date.now(), readOnly: false, csrf: token, title: 'digests' };
 * ```
 */
export interface PageContext {
  /** Where the dashboard is mounted: `''` or `/digests`. */
  readonly base: string;
  /** "Now" for this request, from the dashboard's clock. */
  readonly now: number;
  readonly readOnly: boolean;
  /** The form token of this browser session. */
  readonly csrf: string;
  /** Shown in the header and the document title. */
  readonly title: string;
}

/**
 * A link under the mount path with query parameters (undefined ones left out).
 *
 * @example
 * ```ts
 * href(ctx, '/key', { key: 'mail:p:1' }); // '/digests/key?key=mail%3Ap%3A1'
 * ```
 */
export function href(
  ctx: Pick<PageContext, 'base'>,
  path: string,
  params: Readonly<Record<string, string | number | undefined>> = {},
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return `${ctx.base}${path}${text === '' ? '' : `?${text}`}`;
}

/** Which navigation entry a page belongs to. */
export type Section = 'overview' | 'waiting' | 'ready' | 'all' | 'quarantine' | 'none';

/**
 * The whole document around a page's body.
 *
 * @example
 * ```ts
 * const page = layout(ctx, 'Overview', 'overview', html`<h1>Overview</h1>`);
 * ```
 */
export function layout(
  ctx: PageContext,
  heading: string,
  section: Section,
  body: SafeHtml,
): SafeHtml {
  const nav = (name: Section, label: string, link: string): SafeHtml =>
    html`<a href="${link}" class="${name === section ? 'active' : ''}">${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${ctx.csrf}">
<title>${heading} · ${ctx.title}</title>
<link rel="stylesheet" href="${ctx.base}/assets/dashboard.css">
<script src="${ctx.base}/assets/dashboard.js" defer></script>
</head>
<body data-now="${ctx.now}">
<header>
<a class="brand" href="${href(ctx, '/')}">${ctx.title}</a>
${nav('overview', 'Overview', href(ctx, '/'))}
${nav('waiting', 'Waiting', href(ctx, '/keys', { state: 'waiting' }))}
${nav('ready', 'Ready', href(ctx, '/keys', { state: 'ready' }))}
${nav('all', 'All keys', href(ctx, '/keys'))}
${nav('quarantine', 'Quarantine', href(ctx, '/quarantine'))}
<span class="mode">${ctx.readOnly ? 'read-only' : 'read-write'}</span>
</header>
<main>
${body}
</main>
</body>
</html>
`;
}

/**
 * A state as a coloured badge.
 *
 * @example
 * ```ts
 * stateBadge('ready'); // <span class="state state-ready">ready</span>
 * ```
 */
export function stateBadge(state: string): SafeHtml {
  return html`<span class="state state-${state}" data-state="${state}">${state}</span>`;
}

/**
 * A time as "in 4m 12s" / "3h ago" with the exact time as its tooltip; the
 * script keeps it counting.
 *
 * @example
 * ```ts
 * html`due ${when(ctx, info.score)}`;
 * ```
 */
export function when(ctx: PageContext, at: number): SafeHtml {
  return html`<time datetime="${isoTime(at)}" title="${isoTime(at)}" data-at="${at}">${relativeTime(at, ctx.now)}</time>`;
}

/**
 * A hidden CSRF field and the fields given, in a POST form with one button.
 *
 * @example
 * ```ts
 * postForm(ctx, '/actions/flush', { key }, html`<button>Flush</button>`);
 * ```
 */
export function postForm(
  ctx: PageContext,
  action: string,
  fields: Readonly<Record<string, string | readonly string[]>>,
  button: HtmlValue,
): SafeHtml {
  const hidden = Object.entries(fields).flatMap(([name, value]) =>
    (typeof value === 'string' ? [value] : value).map(
      (one) => html`<input type="hidden" name="${name}" value="${one}">`,
    ),
  );
  return html`<form class="inline" method="post" action="${ctx.base}${action}"><input type="hidden" name="csrf" value="${ctx.csrf}">${hidden}${button}</form>`;
}
