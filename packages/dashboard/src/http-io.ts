/**
 * The dashboard's Node HTTP plumbing: responses with the security headers,
 * redirects, cookies, form bodies and request facts (base path, host, TLS).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest form body accepted. */
const MAX_BODY = 64 * 1024;

/** Sent with every response. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * A request body the dashboard refuses (wrong type, too large), with the
 * HTTP status that says why.
 */
export class BodyError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Reads an HTML form body (`application/x-www-form-urlencoded`, at most
 * 64 KiB); anything else throws {@link BodyError}.
 *
 * @example
 * ```ts
 * const form = await readForm(req);
 * form.get('csrf');
 * ```
 */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
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

/**
 * Writes a whole response with the security headers; a HEAD request gets
 * the headers only. `cacheable` lets the static assets be cached.
 *
 * @example
 * ```ts
 * send(res, 404, 'text/plain; charset=utf-8', 'not found');
 * ```
 */
export function send(
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

/** A `303 See Other` to `location`, with the security headers and `cookies`. */
export function redirect(
  res: ServerResponse,
  location: string,
  cookies: readonly string[] = [],
): void {
  res.writeHead(303, {
    location,
    ...SECURITY_HEADERS,
    ...(cookies.length > 0 ? { 'set-cookie': [...cookies] } : {}),
  });
  res.end();
}

/** A `Set-Cookie` value: HttpOnly, SameSite=Strict, scoped to the base path, Secure over TLS. */
export function cookie(name: string, value: string, base: string, secure: boolean): string {
  return `${name}=${value}; Path=${base === '' ? '/' : base}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Whether the request came over TLS (directly, or as a proxy's `x-forwarded-proto`). */
export function isSecure(req: IncomingMessage): boolean {
  return (
    (req.socket as { encrypted?: boolean }).encrypted === true ||
    req.headers['x-forwarded-proto'] === 'https'
  );
}

/** A base path as `/digests` (leading slash, no trailing one), or `''` for the root. */
export function normalizeBase(path: string | undefined): string {
  if (path === undefined || path === '' || path === '/') return '';
  const withSlash = path.startsWith('/') ? path : `/${path}`;
  return withSlash.replace(/\/+$/, '');
}

/** A query parameter as a whole number ≥ 1, else `undefined`. */
export function positive(text: string | null): number | undefined {
  if (text === null) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= 1 ? value : undefined;
}

/** The host name of a `Host` header, lower case, without the port (`[::1]` keeps its brackets). */
export function hostName(header: string | undefined): string {
  const host = (header ?? '').toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}
