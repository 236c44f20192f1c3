import { z } from 'zod';
import type { BackendFactory } from '../backend-factory.js';
import type { Codec } from '../codecs/codec.js';
import { ConfigurationError } from '../errors.js';
import { checkDelays } from '../retry/backoff.js';
import { checkCalendarWindow } from '../worker/calendar-window.js';
import { parseConfig } from './config-issue.js';
import {
  adapterNodeSchema,
  anyRoute,
  CONTAINER_KINDS,
  containerSchemas,
  rootFields,
  unknownAdapterSchema,
} from './config-schema.js';
import { type OptionsConfig, toBackendOptions } from './options-config.js';
import { checkRoute, type RouteConfig } from './route.js';

/** `{ "backend": "null" }`: accepts everything, stores nothing. */
export interface NullConfig {
  readonly backend: 'null';
  readonly options?: OptionsConfig;
}

/** `{ "backend": "poly", "backends": [...] }`: every write to every backend. */
export interface PolyConfig {
  readonly backend: 'poly';
  readonly backends: readonly BackendConfig[];
  readonly options?: OptionsConfig;
}

/** `{ "backend": "fallback", "primary": ..., "secondary": ..., "moveInterval"?: ms }`. */
export interface FallbackConfig {
  readonly backend: 'fallback';
  readonly primary: BackendConfig;
  readonly secondary: BackendConfig;
  /** Run the mover every this many ms. Default: only on `moveBack()`. */
  readonly moveInterval?: number;
  /** Skip a primary that failed for this many ms. Default 0: always try it. */
  readonly retryPrimaryAfter?: number;
  readonly options?: OptionsConfig;
}

/** `{ "backend": "routing", "route": { "prefix": "mail:" }, "primary": ..., "secondary": ... }`. */
export interface RoutingConfig {
  readonly backend: 'routing';
  /** Keys it matches go to the primary, the others to the secondary. */
  readonly route: RouteConfig;
  readonly primary: BackendConfig;
  readonly secondary: BackendConfig;
  readonly options?: OptionsConfig;
}

/**
 * `{ "backend": "retrying", "inner": ..., "delays": [100, 1000], "repeatLast": true }`.
 * The wrapped backend is `inner`: `backend` already names the kind.
 */
export interface RetryingConfig {
  readonly backend: 'retrying';
  readonly inner: BackendConfig;
  readonly delays: readonly number[];
  readonly repeatLast?: boolean;
  readonly options?: OptionsConfig;
}

/**
 * An adapter found by name (`"memory"`, `"redis"`, `"sqlite"`, `"postgres"`, or
 * any registered `BackendFactory`); its other fields are the adapter's own
 * and its factory validates them.
 */
export interface AdapterConfig {
  readonly backend: string;
  readonly options?: OptionsConfig;
  readonly [field: string]: unknown;
}

/** A container or an adapter. */
export type ContainerConfig =
  | NullConfig
  | PolyConfig
  | FallbackConfig
  | RoutingConfig
  | RetryingConfig;

/** One node of a config tree. */
export type BackendConfig = ContainerConfig | AdapterConfig;

/**
 * A per-key rule of the worker: keys starting with `prefix` (the longest
 * matching prefix wins) get these options.
 *
 * @example
 * ```ts
 * const rule: KeyRuleConfig = { prefix: 'mail:team-b:', window: { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' } };
 * ```
 */
export interface KeyRuleConfig {
  readonly prefix: string;
  readonly enabled?: boolean;
  readonly minimumDelay?: number;
  readonly incrementDelay?: number;
  readonly maximumDelay?: number;
  readonly window?: {
    readonly cron: string;
    readonly timeZone: string;
    readonly holdFirst?: boolean;
  };
}

/**
 * The root's `worker` section: how a worker built from this config runs.
 *
 * @example
 * ```ts
 * const worker: WorkerConfig = { interval: 10_000, keys: [{ prefix: 'mail:', minimumDelay: 60_000 }] };
 * ```
 */
export interface WorkerConfig {
  readonly interval?: number;
  readonly concurrency?: number;
  readonly maintenanceAge?: number;
  readonly keys?: readonly KeyRuleConfig[];
}

/**
 * A whole config: the root backend (which may nest containers), with
 * `options` that every node below inherits (a child's `options` override).
 * The root may also carry `$schema` (for editors) and `worker`.
 *
 * @example
 * ```ts
 * const config: DigestsConfig = {
 *   backend: 'fallback',
 *   primary: { backend: 'redis', url: 'redis://127.0.0.1:6379' },
 *   secondary: { backend: 'sqlite', filename: 'digests.db' },
 *   options: { minimumDelay: 60_000 },
 * };
 * ```
 */
export type DigestsConfig = BackendConfig & {
  readonly $schema?: string;
  readonly worker?: WorkerConfig;
};

export { CONTAINER_KINDS };

// Children are checked one by one, each with its own path and inherited options.
const CHILD = z.looseObject({}, { error: 'must be an object like { "backend": "memory" }' });
const CONTAINERS: Readonly<Record<string, z.ZodObject>> = containerSchemas(CHILD, anyRoute);

/**
 * Checks a config tree (a plain object, e.g. parsed JSON) against the
 * schema of each node and returns it typed. Throws `ConfigurationError`
 * naming the bad field by its path, e.g.
 * `config.primary.options.minimumDelay must be a finite number ≥ 0, got -1`,
 * or `config.primary.namespce is not a field of a "redis" config — did you
 * mean "namespace"?`. Nodes naming an adapter among `factories` are checked
 * against its `configSchema` here; other adapters are checked when the tree
 * is built (their package is imported then).
 *
 * @example
 * ```ts
 * const config = validateConfig(JSON.parse(text));
 * validateConfig({ backend: 'fallback', primary: { backend: 'memory' } });
 * // throws ConfigurationError: config.secondary is required
 * ```
 */
export function validateConfig(
  config: unknown,
  factories: readonly BackendFactory[] = [],
): DigestsConfig {
  const known = new Map(factories.map((factory) => [factory.name, factory]));
  const node = rootNode(config, 'config');
  // The root's copy (without root-only fields) stands for the original in cycle checks.
  checkNode(node, 'config', new Set([config as object]), {}, known);
  return config as DigestsConfig;
}

/**
 * The root of a config without its root-only fields (`$schema`, `worker`),
 * which it checks.
 *
 * @example
 * ```ts
 * const node = rootNode({ $schema: './digests.schema.json', backend: 'memory' }, 'config');
 * // { backend: 'memory' }
 * ```
 */
export function rootNode(config: unknown, path: string): BackendConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigurationError(`${path} must be an object like { "backend": "memory" }`);
  }
  const { $schema, worker, ...node } = config as Record<string, unknown>;
  parseConfig(z.strictObject(rootFields), { $schema, worker }, path);
  for (const [i, rule] of ((worker as WorkerConfig | undefined)?.keys ?? []).entries()) {
    if (rule.window !== undefined)
      checkCalendarWindow(rule.window, `${path}.worker.keys[${i}].window`);
  }
  return node as unknown as BackendConfig;
}

/**
 * Checks one adapter node against its factory's schema and returns the
 * fields the factory gets (parsed: defaults applied, unknown fields refused).
 *
 * @example
 * ```ts
 * const fields = checkAdapterConfig({ backend: 'sqlite', filename: 'a.db' }, sqliteFactory, 'config.secondary');
 * ```
 */
export function checkAdapterConfig(
  node: unknown,
  factory: BackendFactory,
  path: string,
): Readonly<Record<string, unknown>> {
  return parseConfig(adapterNodeSchema(factory), node, path) as Record<string, unknown>;
}

function checkNode(
  node: unknown,
  path: string,
  seen: Set<object>,
  inherited: OptionsConfig,
  known: ReadonlyMap<string, BackendFactory>,
): void {
  parseConfig(CHILD, node, path);
  if (seen.has(node as object)) throw new ConfigurationError(`${path} contains itself`);
  seen.add(node as object);
  try {
    checkFields(node as Record<string, unknown>, path, seen, inherited, known);
  } finally {
    seen.delete(node as object); // only a cycle is an error; a subtree used twice is fine
  }
}

function checkFields(
  fields: Record<string, unknown>,
  path: string,
  seen: Set<object>,
  inherited: OptionsConfig,
  known: ReadonlyMap<string, BackendFactory>,
): void {
  const kind = parseConfig(unknownAdapterSchema, fields, path).backend;
  const factory = known.get(kind);
  const schema = CONTAINERS[kind] ?? (factory ? adapterNodeSchema(factory) : unknownAdapterSchema);
  parseConfig(schema, fields, path);
  const own = fields.options as OptionsConfig | undefined;
  // Values are checked where they are written, even if no adapter below reads them.
  if (own !== undefined) toBackendOptions(inherited, own, path, Date.now);
  const options = { ...inherited, ...own };
  const child = (field: string) =>
    checkNode(fields[field], `${path}.${field}`, seen, options, known);
  switch (kind) {
    case 'poly':
      for (const [i, inner] of (fields.backends as unknown[]).entries()) {
        checkNode(inner, `${path}.backends[${i}]`, seen, options, known);
      }
      break;
    case 'fallback':
      child('primary');
      child('secondary');
      break;
    case 'routing':
      checkRoute(fields.route, `${path}.route`);
      child('primary');
      child('secondary');
      break;
    case 'retrying':
      child('inner');
      checkDelays(fields.delays, fields.repeatLast === true, `${path}.delays`);
      break;
  }
}

export type { Codec, OptionsConfig, RouteConfig };
