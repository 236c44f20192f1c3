/**
 * The example's store comes from `digests.config.json`, the same DI config
 * the `digests` CLI reads: its first line names the store.
 *
 * @module
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DigestsConfig, loadConfig } from '@digests/core';

/**
 * Loads and validates the config; a relative SQLite `filename` anywhere in
 * the tree is resolved against the config file's folder, so the example
 * works from any working directory.
 *
 * @example
 * ```ts
 * const config = await loadExampleConfig(new URL('../digests.config.json', import.meta.url));
 * const container = await createDigestsContainer(config, { clock });
 * ```
 */
export async function loadExampleConfig(url: URL): Promise<DigestsConfig> {
  const path = fileURLToPath(url);
  return withFilenamesUnder(dirname(path), await loadConfig(path)) as DigestsConfig;
}

function withFilenamesUnder(base: string, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((child) => withFilenamesUnder(base, child));
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(node)) {
    copy[field] =
      field === 'filename' &&
      typeof value === 'string' &&
      value !== ':memory:' &&
      !isAbsolute(value)
        ? resolve(base, value)
        : field === 'options'
          ? value
          : withFilenamesUnder(base, value);
  }
  return copy;
}

/**
 * A short description of the configured store for the banner, following
 * containers down to their adapters: `retrying → sqlite (out/digests.db)`.
 *
 * @example
 * ```ts
 * describeStore({ backend: 'redis', url: 'redis://127.0.0.1:6379' }); // 'redis (redis://127.0.0.1:6379)'
 * ```
 */
export function describeStore(config: DigestsConfig, base = process.cwd()): string {
  const fields = config as unknown as Record<string, unknown>;
  const inner = ['inner', 'primary', 'secondary']
    .map((field) => fields[field])
    .filter((child): child is DigestsConfig => typeof child === 'object' && child !== null)
    .map((child) => describeStore(child, base));
  if (inner.length > 0) return `${config.backend} → ${inner.join(' + ')}`;
  const where = fields.filename ?? fields.url ?? fields.connectionString;
  if (typeof where !== 'string') return config.backend;
  // Never print a password that a URL may carry.
  const shown = isAbsolute(where) ? relative(base, where) : where.replace(/\/\/[^@/]*@/, '//');
  return `${config.backend} (${shown})`;
}
