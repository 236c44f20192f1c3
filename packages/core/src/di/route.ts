import { z } from 'zod';
import { ConfigurationError } from '../errors.js';
import { named, parseConfig } from './config-issue.js';

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
 * The schema of a JSON `route`: exactly one of `prefix` and `pattern`.
 *
 * @example
 * ```ts
 * routeSchema.parse({ pattern: '^mail:', flags: 'i' });
 * ```
 */
export const routeSchema = named(
  z
    .strictObject({
      prefix: z
        .string({ error: 'must be a string' })
        .describe('keys starting with this go to the primary')
        .optional(),
      pattern: z
        .string({ error: 'must be a string' })
        .describe('keys matching this regular expression go to the primary')
        .optional(),
      flags: z
        .string({ error: 'must be a string of regular-expression flags without g or y' })
        .regex(/^[dimsuv]*$/, {
          error: 'must be a string of regular-expression flags without g or y',
        })
        .describe('flags of pattern (not g or y: they make a regular expression stateful)')
        .optional(),
    })
    .describe('which keys go to the primary: { "prefix": … } or { "pattern": …, "flags"?: … }'),
  'a route field',
);

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
  const { prefix, pattern, flags } = parseConfig(routeSchema, route, path);
  if ((prefix === undefined) === (pattern === undefined)) {
    throw new ConfigurationError(`${path} needs exactly one of prefix and pattern`);
  }
  if (prefix !== undefined) {
    if (flags !== undefined) throw new ConfigurationError(`${path}.flags needs a pattern`);
    return (key) => key.startsWith(prefix);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern!, flags);
  } catch (cause) {
    throw new ConfigurationError(`${path}.pattern is not a valid regular expression`, { cause });
  }
  return (key) => regex.test(key);
}
