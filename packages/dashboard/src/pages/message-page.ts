/**
 * Pages that only say something: an error, a refusal, the login form.
 *
 * @module
 */
import { html, type SafeHtml } from '../html.js';
import { href, layout, type PageContext } from './layout.js';

/**
 * An error or refusal page.
 *
 * @example
 * ```ts
 * messagePage(ctx, 'Read-only', 'This dashboard was started read-only: actions are disabled.');
 * ```
 */
export function messagePage(ctx: PageContext, heading: string, message: string): SafeHtml {
  return layout(
    ctx,
    heading,
    'none',
    html`<h1>${heading}</h1>
<div class="notice error" id="message">${message}</div>
<p><a href="${href(ctx, '/')}">Back to the overview</a></p>`,
  );
}

/**
 * The login form, shown when an access token is required and the browser
 * has not sent it.
 *
 * @example
 * ```ts
 * loginPage(ctx, false);
 * ```
 */
export function loginPage(ctx: PageContext, failed: boolean): SafeHtml {
  return layout(
    ctx,
    'Log in',
    'none',
    html`<div class="confirm">
<h1>Access token</h1>
${failed ? html`<div class="notice error" id="message">That is not the token.</div>` : ''}
<p>This dashboard needs the token it was started with (<code>--token</code> or <code>DIGESTS_DASHBOARD_TOKEN</code>).</p>
<form method="post" action="${ctx.base}/login">
<input type="hidden" name="csrf" value="${ctx.csrf}">
<input type="password" name="token" autocomplete="current-password" aria-label="access token" required>
<button type="submit" class="primary">Log in</button>
</form>
</div>`,
  );
}
