/**
 * The confirmation step of every action: a page that says what will happen
 * and holds the POST form. A plain link leads here, so confirming works
 * with JavaScript off, and nothing changes until the form is submitted.
 *
 * @module
 */
import { type ActionRequest, describeAction, encodePayload } from '../actions.js';
import { html, type SafeHtml } from '../html.js';
import { href, layout, type PageContext, postForm } from './layout.js';

const TITLES: Readonly<Record<ActionRequest['action'], string>> = {
  flush: 'Flush this key?',
  remove: 'Remove records?',
  delete: 'Delete this key?',
  'delete-quarantined': 'Delete quarantined values?',
};

/**
 * Renders the confirmation of `request`.
 *
 * @example
 * ```ts
 * const page = confirmPage(ctx, { action: 'delete', key: 'mail:p:1', records: [] });
 * ```
 */
export function confirmPage(ctx: PageContext, request: ActionRequest): SafeHtml {
  const danger = request.action === 'flush' ? 'primary' : 'danger';
  return layout(
    ctx,
    TITLES[request.action],
    'none',
    html`<div class="confirm">
<h1>${TITLES[request.action]}</h1>
<p>Key <code id="confirm-key">${request.key}</code></p>
${
  request.records.length === 0
    ? ''
    : html`<p>Record keys:</p><ul id="confirm-records">${request.records.map((record) => html`<li><code>${record}</code></li>`)}</ul>`
}
<p>${describeAction(request)}</p>
<div class="actions">
${postForm(
  ctx,
  `/actions/${request.action}`,
  { payload: encodePayload(request) },
  html`<button type="submit" class="${danger}" id="confirm">Confirm</button>`,
)}
<a class="button" href="${href(ctx, '/key', { key: request.key })}">Cancel</a>
</div>
</div>`,
  );
}
