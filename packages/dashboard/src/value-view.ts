/**
 * Record values on a page: decoded values as collapsed, truncated JSON;
 * quarantined values raw, as text when they are printable UTF-8 and as hex
 * otherwise. Everything goes through `html`, so a value is always text.
 *
 * @module
 */
import { html, type SafeHtml } from './html.js';

/** Characters of a value's pretty JSON shown before it is cut. */
export const DEFAULT_VALUE_LIMIT = 4000;

/** Bytes of a quarantined value shown before it is cut. */
export const DEFAULT_RAW_LIMIT = 1024;

const PREVIEW = 80;

/**
 * A decoded value as `<details>`: a one-line preview that opens on the
 * pretty JSON, cut at `limit` characters.
 *
 * @example
 * ```ts
 * valueView({ text: '<b>hi</b>' }, 4000); // <details><summary>{"text":"&lt;b&gt;hi…
 * ```
 */
export function valueView(value: unknown, limit = DEFAULT_VALUE_LIMIT): SafeHtml {
  const pretty = stringify(value, 2);
  const line = stringify(value, 0);
  return html`<details class="value"><summary><code>${cut(line, PREVIEW)}</code>${
    pretty.length > PREVIEW ? html` <span class="muted">${sizeOf(pretty.length)}</span>` : ''
  }</summary><pre>${cut(pretty, limit)}${
    pretty.length > limit
      ? html`<span class="muted">\n… ${pretty.length - limit} more characters not shown</span>`
      : ''
  }</pre></details>`;
}

/**
 * A stored value shown without decoding: text when it is printable UTF-8,
 * else hex; at most `limit` bytes.
 *
 * @example
 * ```ts
 * rawView(new Uint8Array([0xff, 0x00]), 1024); // <span class="tag">hex</span> … ff 00
 * ```
 */
export function rawView(data: string | Uint8Array, limit = DEFAULT_RAW_LIMIT): SafeHtml {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const text = typeof data === 'string' ? data : printable(data);
  const shown = bytes.subarray(0, limit);
  const more =
    bytes.length > limit
      ? html`<span class="muted">\n… ${bytes.length - limit} more bytes not shown</span>`
      : '';
  if (text !== undefined) {
    const cutText = new TextDecoder().decode(shown).replace(/\uFFFD$/, '');
    return html`<span class="tag">text</span> <span class="muted">${bytes.length} bytes</span><pre class="raw">${cutText}${more}</pre>`;
  }
  return html`<span class="tag">hex</span> <span class="muted">${bytes.length} bytes</span><pre class="raw">${hex(shown)}${more}</pre>`;
}

function stringify(value: unknown, indent: number): string {
  try {
    const text = JSON.stringify(
      value,
      (_key, inner: unknown) => (typeof inner === 'bigint' ? `${inner}n` : inner),
      indent,
    );
    return text ?? String(value);
  } catch {
    // A codec other than JSON may decode to something JSON cannot show (a cycle).
    return String(value);
  }
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}…`;
}

function sizeOf(chars: number): string {
  return chars < 1024 ? `${chars} chars` : `${(chars / 1024).toFixed(1)} K chars`;
}

function printable(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // Control characters other than tab and newlines read better as hex.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

function hex(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const row = Array.from(bytes.subarray(at, at + 16), (b) => b.toString(16).padStart(2, '0'));
    lines.push(`${at.toString(16).padStart(6, '0')}  ${row.join(' ')}`);
  }
  return lines.join('\n');
}
