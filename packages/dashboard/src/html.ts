/**
 * HTML built by one tagged template that escapes every interpolation. Keys
 * and values come from whoever writes to the store; nothing of theirs may
 * ever reach the page unescaped, so the only way to insert markup is to
 * nest another `html` fragment.
 *
 * @module
 */

const RAW = Symbol('html');

/**
 * A fragment of HTML that is already safe: produced by {@link html} only.
 *
 * @example
 * ```ts
 * const row: SafeHtml = html`<td>${key}</td>`;
 * ```
 */
export interface SafeHtml {
  readonly [RAW]: string;
}

/** What may be interpolated: text (escaped), fragments, lists of them, nothing. */
export type HtmlValue =
  | SafeHtml
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes text for element content and quoted attribute values alike.
 *
 * @example
 * ```ts
 * escapeHtml('<script>alert(1)</script>'); // '&lt;script&gt;alert(1)&lt;/script&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

/**
 * Builds a {@link SafeHtml} fragment; every `${…}` is escaped unless it is a
 * fragment itself. `null`, `undefined` and `false` render nothing.
 *
 * @example
 * ```ts
 * const page = html`<a href="/keys/${encodeURIComponent(key)}">${key}</a>`;
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return { [RAW]: out };
}

/**
 * The markup of a fragment, for the response body.
 *
 * @example
 * ```ts
 * res.end(toHtml(html`<p>${text}</p>`));
 * ```
 */
export function toHtml(fragment: SafeHtml): string {
  return fragment[RAW];
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object') return (value as SafeHtml)[RAW];
  return escapeHtml(String(value));
}
