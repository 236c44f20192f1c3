import {
  type Backend,
  FallbackBackend,
  NullBackend,
  PolyBackend,
  RetryingBackend,
  RoutingBackend,
} from '@digests/core';

/**
 * The composed backend tree, one node per line, e.g.
 * `retrying → fallback(primary: RedisBackend, secondary: SqliteBackend)`.
 *
 * @example
 * ```ts
 * console.log(describeTree(container.get<Backend>(TOKENS.Backend)));
 * ```
 */
export function describeTree(backend: Backend<unknown>, indent = ''): string {
  const child = (label: string, inner: Backend<unknown>) =>
    `\n${indent}  ${label}: ${describeTree(inner, `${indent}  `).trimStart()}`;
  if (backend instanceof RetryingBackend) {
    return `${indent}retrying${child('inner', backend.backend)}`;
  }
  if (backend instanceof FallbackBackend) {
    return `${indent}fallback${child('primary', backend.primary)}${child('secondary', backend.secondary)}`;
  }
  if (backend instanceof RoutingBackend) {
    return `${indent}routing${child('primary', backend.primary)}${child('secondary', backend.secondary)}`;
  }
  if (backend instanceof PolyBackend) {
    return `${indent}poly${backend.backends.map((inner, i) => child(`[${i}]`, inner)).join('')}`;
  }
  if (backend instanceof NullBackend) return `${indent}null`;
  return `${indent}${backend.constructor.name}`;
}

/**
 * Every `FallbackBackend` in the tree, to run their movers.
 *
 * @example
 * ```ts
 * for (const fallback of fallbacksIn(root)) await fallback.moveBack();
 * ```
 */
export function fallbacksIn(backend: Backend<unknown>): FallbackBackend<unknown>[] {
  if (backend instanceof RetryingBackend) return fallbacksIn(backend.backend);
  if (backend instanceof FallbackBackend) {
    return [backend, ...fallbacksIn(backend.primary), ...fallbacksIn(backend.secondary)];
  }
  if (backend instanceof RoutingBackend) {
    return [...fallbacksIn(backend.primary), ...fallbacksIn(backend.secondary)];
  }
  if (backend instanceof PolyBackend) return backend.backends.flatMap(fallbacksIn);
  return [];
}

/**
 * The inner stores of the config's first fallback, as its log messages
 * number them (0: the primary, 1: the secondary), by kind and address:
 * `the primary, redis (redis://127.0.0.1:6379)`.
 *
 * @example
 * ```ts
 * innerStoreNames(await loadConfig('digests.json'));
 * // ['the primary, redis (redis://127.0.0.1:6379)', 'the secondary, sqlite (out/digests.db)']
 * ```
 */
export function innerStoreNames(config: unknown): string[] {
  const node = config as Record<string, unknown> | null;
  if (typeof node !== 'object' || node === null) return [];
  if (node.backend === 'fallback') {
    return (['primary', 'secondary'] as const).map((role) => `the ${role}, ${nameOf(node[role])}`);
  }
  for (const child of [node.inner, node.primary, node.secondary]) {
    const names = innerStoreNames(child);
    if (names.length > 0) return names;
  }
  return [];
}

function nameOf(node: unknown): string {
  const fields = (node ?? {}) as Record<string, unknown>;
  const where = fields.url ?? fields.filename ?? fields.connectionString;
  const kind = String(fields.backend);
  return typeof where === 'string' ? `${kind} (${where.replace(/\/\/[^@/]*@/, '//')})` : kind;
}
