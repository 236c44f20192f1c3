/**
 * What the dashboard answers once a request is let in: the pages it shows
 * (GET) and the actions it runs (POST), as replies the handler writes.
 *
 * @module
 */
import {
  type Backend,
  BackendUnavailableError,
  ConfigurationError,
  InvalidKeyError,
  type WorkerCounters,
} from '@digests/core';
import { BadRequestError, noticeOf, parseAction, runAction } from './actions.js';
import type { SafeHtml } from './html.js';
import { BodyError, positive } from './http-io.js';
import { confirmPage } from './pages/confirm-page.js';
import { keyDetailPage } from './pages/key-page.js';
import { keysPage } from './pages/keys-page.js';
import type { PageContext } from './pages/layout.js';
import { messagePage } from './pages/message-page.js';
import { overviewPage } from './pages/overview-page.js';
import { quarantinePage } from './pages/quarantine-page.js';

/** The most keys one page lists. */
export const MAX_PAGE_SIZE = 500;

/**
 * What the handler sends: an HTML page with its status, or a `303` to
 * `location`.
 *
 * @example
 * ```ts
 * const reply: Reply = { location: '/digests/' };
 * ```
 */
export type Reply =
  | { readonly status: number; readonly body: SafeHtml }
  | { readonly location: string };

/** What the pages and actions read, fixed when the handler is built. */
export interface RouteSettings {
  readonly backend: Backend<unknown>;
  /** The counters of a worker in this process, if any. */
  readonly counters: (() => WorkerCounters) | undefined;
  /** Keys per page unless the query asks for another number. */
  readonly pageSize: number;
  /** Characters of one value's JSON shown before it is cut. */
  readonly valueLimit: number;
}

/**
 * The 403 of a form not sent by this dashboard.
 *
 * @example
 * ```ts
 * if (!security.checkPost(req, form.get('csrf') ?? undefined)) return reply(csrfRefusal(ctx));
 * ```
 */
export function csrfRefusal(ctx: PageContext): Reply {
  return {
    status: 403,
    body: messagePage(
      ctx,
      'Refused',
      'The form was not sent by this dashboard (CSRF check failed). Reload the page and try again.',
    ),
  };
}

/** The 403 of an action asked of a read-only dashboard. */
function readOnlyRefusal(ctx: PageContext): Reply {
  return {
    status: 403,
    body: messagePage(
      ctx,
      'Read-only',
      'This dashboard was started read-only: actions are disabled.',
    ),
  };
}

/**
 * The page at `path` (`/`, `/keys`, `/key`, `/confirm`, `/quarantine`),
 * or a 404 page.
 *
 * @example
 * ```ts
 * const reply = await pageAt('/keys', url.searchParams, ctx, settings);
 * ```
 */
export async function pageAt(
  path: string,
  query: URLSearchParams,
  ctx: PageContext,
  settings: RouteSettings,
): Promise<Reply> {
  const { backend } = settings;
  const after = query.get('after') ?? undefined;
  const pageNumber = positive(query.get('page')) ?? 1;
  switch (path) {
    case '/':
      return { status: 200, body: await overviewPage(ctx, backend, settings.counters) };
    case '/keys': {
      const state = query.get('state');
      const prefix = query.get('prefix') ?? '';
      const body = await keysPage(ctx, backend, {
        ...(state === 'waiting' || state === 'ready' ? { state } : {}),
        ...(prefix === '' ? {} : { prefix }),
        ...(after === undefined ? {} : { after }),
        page: pageNumber,
        limit: Math.min(positive(query.get('limit')) ?? settings.pageSize, MAX_PAGE_SIZE),
      });
      return { status: 200, body };
    }
    case '/key': {
      const key = query.get('key');
      if (key === null || key === '') throw new BadRequestError('which key? (?key=…)');
      const notice = noticeOf(query.get('done'), query.get('n'));
      const body = await keyDetailPage(ctx, backend, {
        key,
        page: pageNumber,
        valueLimit: settings.valueLimit,
        ...(after === undefined ? {} : { after }),
        ...(notice === undefined ? {} : { notice }),
      });
      return { status: 200, body };
    }
    case '/confirm':
      if (ctx.readOnly) return readOnlyRefusal(ctx);
      return { status: 200, body: confirmPage(ctx, parseAction(query.get('action'), query)) };
    case '/quarantine': {
      const body = await quarantinePage(ctx, backend, {
        page: pageNumber,
        ...(after === undefined ? {} : { after }),
      });
      return { status: 200, body };
    }
    default:
      return { status: 404, body: messagePage(ctx, 'Not found', `There is no page at ${path}.`) };
  }
}

/**
 * Checks and runs the action posted to `path` (`/actions/<name>`), then
 * sends the browser to the key's page with what was done. `readForm` reads
 * the body only once the path and the read-only switch allow an action;
 * `checkCsrf` vets the form.
 *
 * @example
 * ```ts
 * const reply = await postAction(path, ctx, settings, () => readForm(req), (form) => security.checkPost(req, form.get('csrf') ?? undefined));
 * ```
 */
export async function postAction(
  path: string,
  ctx: PageContext,
  settings: RouteSettings,
  readForm: () => Promise<URLSearchParams>,
  checkCsrf: (form: URLSearchParams) => boolean,
): Promise<Reply> {
  if (!path.startsWith('/actions/')) {
    return { status: 404, body: messagePage(ctx, 'Not found', 'There is nothing to post here.') };
  }
  if (ctx.readOnly) return readOnlyRefusal(ctx);
  const form = await readForm();
  if (!checkCsrf(form)) return csrfRefusal(ctx);
  const request = parseAction(path.slice('/actions/'.length), form);
  const outcome = await runAction(settings.backend, request);
  const done = new URLSearchParams({
    key: request.key,
    done: outcome.done,
    n: String(outcome.count),
  });
  return { location: `${ctx.base}/key?${done}` };
}

/**
 * The error page of a failure: 400 for bad input, 413/415 for a refused
 * body, 503 when the store is unavailable, else 500.
 *
 * @example
 * ```ts
 * catch (error) { return reply(errorPage(error, ctx)); }
 * ```
 */
export function errorPage(error: unknown, ctx: PageContext): Reply {
  const [status, heading] = classify(error);
  const message = error instanceof Error ? error.message : String(error);
  return { status, body: messagePage(ctx, heading, message) };
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
