/**
 * The dashboard as a plain Node request handler, `(req, res, next?)`: mount
 * it on `http.createServer`, or as Express middleware, or in any framework
 * that hands over Node's request and response.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Backend, ConfigurationError, type WorkerCounters } from '@digests/core';
import { DASHBOARD_CSS, DASHBOARD_JS } from './assets.js';
import { toHtml } from './html.js';
import { cookie, hostName, isSecure, normalizeBase, readForm, redirect, send } from './http-io.js';
import type { PageContext } from './pages/layout.js';
import { loginPage, messagePage } from './pages/message-page.js';
import {
  csrfRefusal,
  errorPage,
  MAX_PAGE_SIZE,
  pageAt,
  postAction,
  type Reply,
  type RouteSettings,
} from './routes.js';
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
  const allowedHosts =
    options.allowedHosts === undefined
      ? undefined
      : new Set(options.allowedHosts.map((host) => host.toLowerCase()));
  const readOnly = options.readOnly === true;
  const settings: RouteSettings = {
    backend: options.backend,
    counters: options.worker === undefined ? undefined : () => options.worker!.counters,
    pageSize,
    valueLimit: options.valueLimit ?? DEFAULT_VALUE_LIMIT,
  };

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
    const reply = (answer: Reply) => {
      if ('location' in answer) return redirect(res, answer.location, cookies);
      send(
        res,
        answer.status,
        'text/html; charset=utf-8',
        toHtml(answer.body),
        method,
        false,
        cookies,
      );
    };

    try {
      if (!reading && method !== 'POST') {
        res.setHeader('allow', 'GET, HEAD, POST');
        return reply({
          status: 405,
          body: messagePage(ctx, 'Method not allowed', `${method} is not used here.`),
        });
      }
      if (path === '/login') {
        if (reading) return reply({ status: 200, body: loginPage(ctx, false) });
        const form = await readForm(req);
        if (!security.checkPost(req, form.get('csrf') ?? undefined)) return reply(csrfRefusal(ctx));
        if (!security.checkToken(form.get('token') ?? '')) {
          return reply({ status: 401, body: loginPage(ctx, true) });
        }
        cookies.push(cookie(AUTH_COOKIE, security.authCookie(), base, secure));
        return reply({ location: `${base}/` });
      }
      if (!security.authorized(req)) {
        if (reading) return reply({ location: `${base}/login` });
        return reply({
          status: 401,
          body: messagePage(ctx, 'Log in first', 'This dashboard needs its access token.'),
        });
      }
      if (method === 'POST') {
        return reply(
          await postAction(
            path,
            ctx,
            settings,
            () => readForm(req),
            (form) => security.checkPost(req, form.get('csrf') ?? undefined),
          ),
        );
      }
      return reply(await pageAt(path, url.searchParams, ctx, settings));
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      return reply(errorPage(error, ctx));
    }
  };
}
