/**
 * The dashboard as a plain Node request handler, `(req, res, next?)`: mount
 * it on `http.createServer`, or as Express middleware, or in any framework
 * that hands over Node's request and response.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Backend,
  BackendUnavailableError,
  ConfigurationError,
  InvalidKeyError,
  type WorkerCounters,
} from '@digests/core';
import { BadRequestError, noticeOf, parseAction, runAction } from './actions.js';
import { DASHBOARD_CSS, DASHBOARD_JS } from './assets.js';
import { type SafeHtml, toHtml } from './html.js';
import { confirmPage } from './pages/confirm-page.js';
import { keyDetailPage } from './pages/key-page.js';
import { keysPage } from './pages/keys-page.js';
import type { PageContext } from './pages/layout.js';
import { loginPage, messagePage } from './pages/message-page.js';
import { overviewPage } from './pages/overview-page.js';
import { quarantinePage } from './pages/quarantine-page.js';
import { AUTH_COOKIE, DashboardSecurity, SESSION_COOKIE } from './security.js';
import { DEFAULT_VALUE_LIMIT } from './value-view.js';

/**
 * How the dashboard runs.
 *
 * @example
 * ```ts
 * const options: DashboardOptions = { backend, readOnly: true, basePath: '/digests' };
 * ```
 */
export interface DashboardOptions {
  /** Any backend or container; the dashboard uses its public API only. */
  readonly backend: Backend<unknown>;
  /** Show everything, change nothing: no action buttons, every POST refused. */
  readonly readOnly?: boolean;
  /**
   * Require this token (`Authorization: Bearer …`, or a login form that
   * sets a cookie). `startDashboard` requires one off loopback.
   */
  readonly token?: string;
  /**
   * The path the handler is mounted under on a plain server (`/digests`):
   * requests outside it go to `next` (or get 404). Under Express leave it
   * out: the mount path (`req.baseUrl`) is used.
   */
  readonly basePath?: string;
  /** A worker running in this process: its counters appear on the overview. */
  readonly worker?: { readonly counters: WorkerCounters };
  /** "Now" for relative times; default `Date.now`. */
  readonly clock?: () => number;
  /** Keys per page, 1–500. Default 50. */
  readonly pageSize?: number;
  /** Characters of one value's JSON shown before it is cut. Default 4000. */
  readonly valueLimit?: number;
  /** Shown in the header. Default `digests`. */
  readonly title?: string;
  /**
   * The key for CSRF and login cookies. Default: random per process (a
   * restart logs everyone out). Give the same secret to several processes
   * behind one address.
   */
  readonly secret?: Uint8Array;
  /**
   * Answer only requests whose `Host` names one of these host names (any
   * port). `startDashboard` sets loopback names when it listens on loopback
   * without a token, so a web page that re-points its own domain at
   * 127.0.0.1 (DNS rebinding) cannot read or drive the dashboard.
   */
  readonly allowedHosts?: readonly string[];
}

/**
 * A Node request handler; `next` (Express style) gets requests outside the
 * base path. It never rejects: failures become error pages.
 */
export type DashboardHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => Promise<void>;

/** The largest form body accepted. */
const MAX_BODY = 64 * 1024;

const MAX_PAGE_SIZE = 500;

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * Builds the handler.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 *
 * const handler = createDashboardHandler({ backend, basePath: '/digests' });
 * createServer((req, res) => void handler(req, res)).listen(7070, '127.0.0.1');
 * ```
 */
export function createDashboardHandler(options: DashboardOptions): DashboardHandler {
  const basePath = normalizeBase(options.basePath);
  const pageSize = options.pageSize ?? 50;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new ConfigurationError(
      `dashboard: pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`,
    );
  }
  const security = new DashboardSecurity({
    token: options.token,
    ...(options.secret === undefined ? {} : { secret: options.secret }),
  });
  const clock = options.clock ?? Date.now;
  const valueLimit = options.valueLimit ?? DEFAULT_VALUE_LIMIT;
  const { backend } = options;
  const allowedHosts =
    options.allowedHosts === undefined
      ? undefined
      : new Set(options.allowedHosts.map((host) => host.toLowerCase()));
  const readOnly = options.readOnly === true;
  const counters = options.worker === undefined ? undefined : () => options.worker!.counters;

  return async (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    let path = url.pathname;
    let base = basePath;
    if (basePath !== '') {
      if (path !== basePath && !path.startsWith(`${basePath}/`)) {
        if (next) return next();
        return send(res, 404, 'text/plain; charset=utf-8', 'not found');
      }
      path = path.slice(basePath.length) || '/';
    } else {
      // Express strips its mount path from req.url and keeps it in baseUrl.
      const mounted = (req as { baseUrl?: unknown }).baseUrl;
      if (typeof mounted === 'string') base = normalizeBase(mounted);
    }
    const method = req.method ?? 'GET';
    if (allowedHosts !== undefined && !allowedHosts.has(hostName(req.headers.host))) {
      return send(
        res,
        403,
        'text/plain; charset=utf-8',
        'unknown host: open the dashboard by its own address',
      );
    }
    const reading = method === 'GET' || method === 'HEAD';

    if (reading && path === '/assets/dashboard.css') {
      return send(res, 200, 'text/css; charset=utf-8', DASHBOARD_CSS, method, true);
    }
    if (reading && path === '/assets/dashboard.js') {
      return send(res, 200, 'text/javascript; charset=utf-8', DASHBOARD_JS, method, true);
    }

    let session = security.sessionOf(req);
    const cookies: string[] = [];
    const secure = isSecure(req);
    if (session === undefined) {
      session = security.newSession();
      cookies.push(cookie(SESSION_COOKIE, session, base, secure));
    }
    const ctx: PageContext = {
      base,
      now: clock(),
      readOnly,
      csrf: security.csrfToken(session),
      title: options.title ?? 'digests',
    };
    const page = (status: number, body: SafeHtml) =>
      send(res, status, 'text/html; charset=utf-8', toHtml(body), method, false, cookies);
    const redirect = (location: string) => {
      res.writeHead(303, {
        location,
        ...SECURITY_HEADERS,
        ...(cookies.length > 0 ? { 'set-cookie': cookies } : {}),
      });
      res.end();
    };

    try {
      if (!reading && method !== 'POST') {
        res.setHeader('allow', 'GET, HEAD, POST');
        return page(405, messagePage(ctx, 'Method not allowed', `${method} is not used here.`));
      }
      if (path === '/login') {
        if (reading) return page(200, loginPage(ctx, false));
        const form = await readForm(req);
        if (!security.checkPost(req, form.get('csrf') ?? undefined)) {
          return page(
            403,
            messagePage(
              ctx,
              'Refused',
              'The form was not sent by this dashboard (CSRF check failed). Reload the page and try again.',
            ),
          );
        }
        if (!security.checkToken(form.get('token') ?? '')) return page(401, loginPage(ctx, true));
        cookies.push(cookie(AUTH_COOKIE, security.authCookie(), base, secure));
        return redirect(`${base}/`);
      }
      if (!security.authorized(req)) {
        if (reading) return redirect(`${base}/login`);
        return page(
          401,
          messagePage(ctx, 'Log in first', 'This dashboard needs its access token.'),
        );
      }

      if (method === 'POST') {
        if (!path.startsWith('/actions/')) {
          return page(404, messagePage(ctx, 'Not found', 'There is nothing to post here.'));
        }
        if (readOnly) {
          return page(
            403,
            messagePage(
              ctx,
              'Read-only',
              'This dashboard was started read-only: actions are disabled.',
            ),
          );
        }
        const form = await readForm(req);
        if (!security.checkPost(req, form.get('csrf') ?? undefined)) {
          return page(
            403,
            messagePage(
              ctx,
              'Refused',
              'The form was not sent by this dashboard (CSRF check failed). Reload the page and try again.',
            ),
          );
        }
        const request = parseAction(path.slice('/actions/'.length), form);
        const outcome = await runAction(backend, request);
        return redirect(
          `${base}/key?${new URLSearchParams({ key: request.key, done: outcome.done, n: String(outcome.count) })}`,
        );
      }

      const query = url.searchParams;
      const after = query.get('after') ?? undefined;
      const pageNumber = positive(query.get('page')) ?? 1;
      switch (path) {
        case '/':
          return page(200, await overviewPage(ctx, backend, counters));
        case '/keys': {
          const state = query.get('state');
          const prefix = query.get('prefix') ?? '';
          return page(
            200,
            await keysPage(ctx, backend, {
              ...(state === 'waiting' || state === 'ready' ? { state } : {}),
              ...(prefix === '' ? {} : { prefix }),
              ...(after === undefined ? {} : { after }),
              page: pageNumber,
              limit: Math.min(positive(query.get('limit')) ?? pageSize, MAX_PAGE_SIZE),
            }),
          );
        }
        case '/key': {
          const key = query.get('key');
          if (key === null || key === '') throw new BadRequestError('which key? (?key=…)');
          const notice = noticeOf(query.get('done'), query.get('n'));
          return page(
            200,
            await keyDetailPage(ctx, backend, {
              key,
              page: pageNumber,
              valueLimit,
              ...(after === undefined ? {} : { after }),
              ...(notice === undefined ? {} : { notice }),
            }),
          );
        }
        case '/confirm': {
          if (readOnly) {
            return page(
              403,
              messagePage(
                ctx,
                'Read-only',
                'This dashboard was started read-only: actions are disabled.',
              ),
            );
          }
          return page(200, confirmPage(ctx, parseAction(query.get('action'), query)));
        }
        case '/quarantine':
          return page(
            200,
            await quarantinePage(ctx, backend, {
              page: pageNumber,
              ...(after === undefined ? {} : { after }),
            }),
          );
        default:
          return page(404, messagePage(ctx, 'Not found', `There is no page at ${path}.`));
      }
    } catch (error) {
      const [status, heading] = classify(error);
      const message = error instanceof Error ? error.message : String(error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      return page(status, messagePage(ctx, heading, message));
    }
  };
}

function classify(error: unknown): [number, string] {
  if (error instanceof BodyError) return [error.status, 'Bad request'];
  if (
    error instanceof BadRequestError ||
    error instanceof InvalidKeyError ||
    error instanceof ConfigurationError
  ) {
    return [400, 'Bad request'];
  }
  if (error instanceof BackendUnavailableError) return [503, 'Store unavailable'];
  return [500, 'Error'];
}

class BodyError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new BodyError('actions take an HTML form (application/x-www-form-urlencoded)', 415);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new BodyError(`the form is larger than ${MAX_BODY} bytes`, 413);
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  method = 'GET',
  cacheable = false,
  cookies: readonly string[] = [],
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    ...SECURITY_HEADERS,
    ...(cacheable ? { 'cache-control': 'public, max-age=300' } : {}),
    ...(cookies.length > 0 ? { 'set-cookie': [...cookies] } : {}),
  });
  res.end(method === 'HEAD' ? undefined : body);
}

function cookie(name: string, value: string, base: string, secure: boolean): string {
  return `${name}=${value}; Path=${base === '' ? '/' : base}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

function isSecure(req: IncomingMessage): boolean {
  return (
    (req.socket as { encrypted?: boolean }).encrypted === true ||
    req.headers['x-forwarded-proto'] === 'https'
  );
}

function normalizeBase(path: string | undefined): string {
  if (path === undefined || path === '' || path === '/') return '';
  const withSlash = path.startsWith('/') ? path : `/${path}`;
  return withSlash.replace(/\/+$/, '');
}

function positive(text: string | null): number | undefined {
  if (text === null) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= 1 ? value : undefined;
}

/** The host name of a `Host` header, lower case, without the port (`[::1]` keeps its brackets). */
function hostName(header: string | undefined): string {
  const host = (header ?? '').toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}
