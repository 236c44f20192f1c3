import type { Codec } from '../codecs/codec.js';
import { ConfigurationError } from '../errors.js';
import { checkDelays } from '../retry/backoff.js';
import { checkOptions, type OptionsConfig, toBackendOptions } from './options-config.js';
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
 * A whole config: the root backend (which may nest containers), with
 * `options` that every node below inherits (a child's `options` override).
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
export type DigestsConfig = BackendConfig;

/** The container kinds a config can name; any other name is an adapter. */
export const CONTAINER_KINDS = Object.freeze(['null', 'poly', 'fallback', 'routing', 'retrying']);

const CONTAINER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  null: ['backend', 'options'],
  poly: ['backend', 'backends', 'options'],
  fallback: ['backend', 'primary', 'secondary', 'moveInterval', 'retryPrimaryAfter', 'options'],
  routing: ['backend', 'route', 'primary', 'secondary', 'options'],
  retrying: ['backend', 'inner', 'delays', 'repeatLast', 'options'],
};

const ADAPTER_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * Checks a config tree (a plain object, e.g. parsed JSON) and returns it
 * typed. Throws `ConfigurationError` naming the bad field by its path, e.g.
 * `config.primary.options.minimumDelay must be a finite number ≥ 0, got -1`.
 * Adapter-specific fields (`url`, `filename`, …) are checked by the
 * adapter's factory when the tree is built.
 *
 * @example
 * ```ts
 * const config = validateConfig(JSON.parse(text));
 * validateConfig({ backend: 'fallback', primary: { backend: 'memory' } });
 * // throws ConfigurationError: config.secondary is required
 * ```
 */
export function validateConfig(config: unknown, path = 'config'): DigestsConfig {
  checkNode(config, path, new Set(), {});
  return config as DigestsConfig;
}

function checkNode(node: unknown, path: string, seen: Set<object>, inherited: OptionsConfig): void {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw new ConfigurationError(`${path} must be an object like { "backend": "memory" }`);
  }
  if (seen.has(node)) throw new ConfigurationError(`${path} contains itself`);
  seen.add(node);
  try {
    checkFields(node as Record<string, unknown>, path, seen, inherited);
  } finally {
    seen.delete(node); // only a cycle is an error; a subtree used twice is fine
  }
}

function checkFields(
  fields: Record<string, unknown>,
  path: string,
  seen: Set<object>,
  inherited: OptionsConfig,
): void {
  const kind = fields.backend;
  if (typeof kind !== 'string' || !ADAPTER_NAME.test(kind)) {
    throw new ConfigurationError(
      `${path}.backend must name a backend (${CONTAINER_KINDS.join(', ')} or an adapter such as memory, redis, sqlite, postgres), got ${describe(kind)}`,
    );
  }
  let options = inherited;
  if (fields.options !== undefined) {
    checkOptions(fields.options, `${path}.options`);
    // Values are checked where they are written, even if no adapter below reads them.
    toBackendOptions(inherited, fields.options, path, Date.now);
    options = { ...inherited, ...fields.options };
  }
  const allowed = CONTAINER_FIELDS[kind];
  if (allowed === undefined) return; // an adapter: its factory checks its fields
  for (const field of Object.keys(fields)) {
    if (!allowed.includes(field)) {
      throw new ConfigurationError(
        `${path}.${field} is not a field of a "${kind}" config (expected ${allowed.join(', ')})`,
      );
    }
  }
  const child = (field: string) => {
    if (fields[field] === undefined) throw new ConfigurationError(`${path}.${field} is required`);
    checkNode(fields[field], `${path}.${field}`, seen, options);
  };
  switch (kind) {
    case 'poly': {
      const { backends } = fields;
      if (!Array.isArray(backends) || backends.length === 0) {
        throw new ConfigurationError(`${path}.backends must be a non-empty array of backends`);
      }
      for (const [i, inner] of backends.entries())
        checkNode(inner, `${path}.backends[${i}]`, seen, options);
      break;
    }
    case 'fallback':
      child('primary');
      child('secondary');
      for (const field of ['moveInterval', 'retryPrimaryAfter']) {
        const ms = fields[field];
        if (ms !== undefined && (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0)) {
          throw new ConfigurationError(
            `${path}.${field} must be a positive number of ms, got ${describe(ms)}`,
          );
        }
      }
      break;
    case 'routing':
      if (fields.route === undefined) throw new ConfigurationError(`${path}.route is required`);
      checkRoute(fields.route, `${path}.route`);
      child('primary');
      child('secondary');
      break;
    case 'retrying': {
      child('inner');
      if (fields.repeatLast !== undefined && typeof fields.repeatLast !== 'boolean') {
        throw new ConfigurationError(`${path}.repeatLast must be a boolean`);
      }
      if (fields.delays === undefined) throw new ConfigurationError(`${path}.delays is required`);
      checkDelays(fields.delays, fields.repeatLast === true, `${path}.delays`);
      break;
    }
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

export type { Codec, OptionsConfig, RouteConfig };
