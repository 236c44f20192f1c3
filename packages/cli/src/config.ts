/**
 * Finding and opening the DI config: `--config FILE`, else `$DIGESTS_CONFIG`,
 * else `./digests.config.json`. The config is the one `createDigestsContainer`
 * reads in an application.
 *
 * @module
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import {
  type Backend,
  createDigestsContainer,
  type DigestsConfig,
  disposeDigestsContainer,
  loadConfig,
  TOKENS,
  validateConfig,
  type WorkerConfig,
  type WorkerLogger,
} from '@digests/core';
import { ADAPTERS } from './adapters.js';
import type { CliIo } from './io.js';

/** The config file used when neither `--config` nor `DIGESTS_CONFIG` names one. */
export const DEFAULT_CONFIG = 'digests.config.json';

/**
 * The config file to read, absolute.
 *
 * @example
 * ```ts
 * configPath(undefined, { ...io, env: { DIGESTS_CONFIG: 'prod.json' } }); // '<cwd>/prod.json'
 * ```
 */
export function configPath(flag: string | undefined, io: CliIo): string {
  return resolve(io.cwd, flag ?? io.env.DIGESTS_CONFIG ?? DEFAULT_CONFIG);
}

/**
 * An opened store: the root backend of the config's tree, a short
 * description, and how to close it.
 *
 * @example
 * ```ts
 * const store = await openStore(path, logger);
 * try { await store.backend.inspect('mail:p:1'); } finally { await store.close(); }
 * ```
 */
export interface OpenedStore {
  readonly backend: Backend<unknown>;
  /** `sqlite (digests.db)`, `retrying → redis (redis://…)`. */
  readonly description: string;
  /** The root's kind: `sqlite`, `retrying`, … */
  readonly name: string;
  /** The config's `worker` section, if any. */
  readonly worker: WorkerConfig | undefined;
  close(): Promise<void>;
}

/**
 * Loads and validates the config, then builds its backend tree through the
 * DI container. A relative SQLite `filename` is resolved against the
 * config file's folder, so `--config some/dir/digests.config.json` finds its
 * database from anywhere.
 *
 * @example
 * ```ts
 * const store = await openStore('/etc/digests.json', { warn: console.warn, error: console.error });
 * ```
 */
export async function openStore(path: string, logger: WorkerLogger): Promise<OpenedStore> {
  const config = underFolder(dirname(path), await loadConfig(path)) as DigestsConfig;
  // Every node against its schema (the built-in adapters' too) before any store opens.
  validateConfig(config, ADAPTERS);
  const container = await createDigestsContainer(config, { logger, factories: ADAPTERS });
  return {
    backend: container.get<Backend<unknown>>(TOKENS.Backend),
    description: describe(config, dirname(path)),
    name: config.backend,
    worker: config.worker,
    close: () => disposeDigestsContainer(container),
  };
}

function underFolder(base: string, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((child) => underFolder(base, child));
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(node)) {
    const relativeFile =
      field === 'filename' &&
      typeof value === 'string' &&
      value !== ':memory:' &&
      !isAbsolute(value);
    copy[field] = relativeFile
      ? resolve(base, value)
      : field === 'options'
        ? value
        : underFolder(base, value);
  }
  return copy;
}

function describe(config: DigestsConfig, base: string): string {
  const fields = config as unknown as Record<string, unknown>;
  const children = [
    ...['inner', 'primary', 'secondary'].map((field) => fields[field]),
    ...(Array.isArray(fields.backends) ? fields.backends : []),
  ].filter((child): child is DigestsConfig => typeof child === 'object' && child !== null);
  if (children.length > 0) {
    return `${config.backend} → ${children.map((child) => describe(child, base)).join(' + ')}`;
  }
  const where = fields.filename ?? fields.url ?? fields.connectionString;
  if (typeof where !== 'string') return config.backend;
  // Never print a password a URL may carry.
  const shown = isAbsolute(where)
    ? relative(base, where) || where
    : where.replace(/\/\/[^@/]*@/, '//');
  return `${config.backend} (${shown})`;
}
