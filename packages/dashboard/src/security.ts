/**
 * Who may read and act: an optional access token, and CSRF protection for
 * every POST. A browser session is a random cookie; the form token is an
 * HMAC of it under a secret only the server knows, so another site can
 * neither read nor forge it, and a form from another session is refused.
 *
 * @module
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The cookie holding the browser session the CSRF token is bound to. */
export const SESSION_COOKIE = 'digests_dashboard_session';

/** The cookie a successful login sets when an access token is required. */
export const AUTH_COOKIE = 'digests_dashboard_auth';

/**
 * The dashboard's secrets: the access token (when one is required) and a
 * per-process key for CSRF and login cookies.
 *
 * @example
 * ```ts
 * const security = new DashboardSecurity({ token: process.env.DIGESTS_DASHBOARD_TOKEN });
 * if (!security.authorized(req)) return redirectToLogin(res);
 * ```
 */
export class DashboardSecurity {
  readonly #secret: Buffer;
  readonly #token: string | undefined;

  constructor(options: { readonly token?: string | undefined; readonly secret?: Uint8Array } = {}) {
    this.#secret = Buffer.from(options.secret ?? randomBytes(32));
    this.#token = options.token === '' ? undefined : options.token;
  }

  /** Whether requests must carry the access token. */
  get tokenRequired(): boolean {
    return this.#token !== undefined;
  }

  /**
   * Whether the request may see the dashboard: no token is required, or it
   * sends `Authorization: Bearer <token>`, or the cookie a login set.
   */
  authorized(req: IncomingMessage): boolean {
    if (this.#token === undefined) return true;
    const header = req.headers.authorization;
    if (typeof header === 'string' && header.startsWith('Bearer ')) {
      return this.checkToken(header.slice('Bearer '.length));
    }
    const cookie = cookiesOf(req)[AUTH_COOKIE];
    return cookie !== undefined && same(cookie, this.#mac(`auth:${this.#token}`));
  }

  /** Whether `candidate` is the access token, in constant time. */
  checkToken(candidate: string): boolean {
    if (this.#token === undefined) return true;
    // Hash both so that the comparison takes the same time whatever their lengths.
    const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
    return timingSafeEqual(digest(candidate), digest(this.#token));
  }

  /** The value of the login cookie, once the token was checked. */
  authCookie(): string {
    return this.#mac(`auth:${this.#token ?? ''}`);
  }

  /** The request's browser session, or `undefined` when it has none yet. */
  sessionOf(req: IncomingMessage): string | undefined {
    const session = cookiesOf(req)[SESSION_COOKIE];
    return session !== undefined && /^[A-Za-z0-9_-]{43}$/.test(session) ? session : undefined;
  }

  /** A new random browser session. */
  newSession(): string {
    return randomBytes(32).toString('base64url');
  }

  /** The form token for `session`. */
  csrfToken(session: string): string {
    return this.#mac(`csrf:${session}`);
  }

  /**
   * Whether a POST may act: it comes from this origin (when the browser
   * says where it comes from) and carries the form token of its session.
   */
  checkPost(req: IncomingMessage, formToken: string | undefined): boolean {
    const site = req.headers['sec-fetch-site'];
    if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
    const origin = req.headers.origin;
    if (typeof origin === 'string' && origin !== 'null') {
      let host: string;
      try {
        host = new URL(origin).host;
      } catch {
        return false;
      }
      if (host !== req.headers.host) return false;
    }
    const session = this.sessionOf(req);
    if (session === undefined || formToken === undefined) return false;
    return same(formToken, this.csrfToken(session));
  }

  #mac(text: string): string {
    return createHmac('sha256', this.#secret).update(text, 'utf8').digest('base64url');
  }
}

/**
 * The cookies a request sends, by name (the first of a repeated name wins).
 *
 * @example
 * ```ts
 * cookiesOf(req)[SESSION_COOKIE];
 * ```
 */
export function cookiesOf(req: IncomingMessage): Readonly<Record<string, string>> {
  const cookies: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (name !== '' && !(name in cookies)) cookies[name] = part.slice(at + 1).trim();
  }
  return cookies;
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
