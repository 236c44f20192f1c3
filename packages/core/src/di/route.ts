import { ConfigurationError } from '../errors.js';

/**
 * Which timelines a routing config sends to its primary: keys starting
 * with `prefix`, keys matching the regular expression `pattern` (with
 * `flags`, but not the stateful `g`/`y`), or — in a JS config — a function.
 *
 * @example
 * ```ts
 * const byPrefix: RouteConfig = { prefix: 'mail:' };
 * const byPattern: RouteConfig = { pattern: '^(mail|sms):', flags: 'i' };
 * const byFunction: RouteConfig = (key) => key.length % 2 === 0;
 * ```
 */
export type RouteConfig =
  | { readonly prefix: string }
  | { readonly pattern: string; readonly flags?: string }
  | ((key: string) => boolean);

/**
 * Checks a `route` and turns it into the predicate `RoutingBackend` takes.
 * Throws `ConfigurationError` naming the field.
 *
 * @example
 * ```ts
 * const predicate = checkRoute({ prefix: 'mail:' }, 'config.route');
 * predicate('mail:p:1'); // true
 * ```
 */
export function checkRoute(route: unknown, path: string): (key: string) => boolean {
  if (typeof route === 'function') return route as (key: string) => boolean;
  if (typeof route !== 'object' || route === null || Array.isArray(route)) {
    throw new ConfigurationError(
      `${path} must be { "prefix": "…" } or { "pattern": "…" } (or a function in a JS config)`,
    );
  }
  const { prefix, pattern, flags, ...rest } = route as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) {
    throw new ConfigurationError(
      `${path}.${extra} is not a route field (expected prefix, or pattern and flags)`,
    );
  }
  if ((prefix === undefined) === (pattern === undefined)) {
    throw new ConfigurationError(`${path} needs exactly one of prefix and pattern`);
  }
  if (prefix !== undefined) {
    if (typeof prefix !== 'string') throw new ConfigurationError(`${path}.prefix must be a string`);
    if (flags !== undefined) throw new ConfigurationError(`${path}.flags needs a pattern`);
    return (key) => key.startsWith(prefix);
  }
  if (typeof pattern !== 'string') throw new ConfigurationError(`${path}.pattern must be a string`);
  if (flags !== undefined && (typeof flags !== 'string' || /[gy]/.test(flags))) {
    throw new ConfigurationError(
      `${path}.flags must be a string of regular-expression flags without g or y`,
    );
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags as string | undefined);
  } catch (cause) {
    throw new ConfigurationError(`${path}.pattern is not a valid regular expression`, { cause });
  }
  return (key) => regex.test(key);
}
