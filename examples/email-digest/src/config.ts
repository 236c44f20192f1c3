/**
 * The example's store comes from `digests.config.json`: one line names it.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Backend, BackendFactory, BackendOptions } from '@digests/core';
import { ConfigurationError } from '@digests/core';

/**
 * The parsed config file.
 *
 * @example
 * ```ts
 * const config: ExampleConfig = { store: { backend: 'sqlite', filename: 'out/digests.db' } };
 * ```
 */
export interface ExampleConfig {
  readonly store: Readonly<Record<string, unknown>> & { readonly backend: string };
}

/**
 * Reads the config; a relative `filename` is resolved against the config's folder.
 *
 * @example
 * ```ts
 * const config = await loadExampleConfig(new URL('../digests.config.json', import.meta.url));
 * ```
 */
export async function loadExampleConfig(path: URL): Promise<ExampleConfig> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  const store = (parsed as { store?: unknown } | null)?.store;
  if (
    typeof store !== 'object' ||
    store === null ||
    typeof (store as { backend?: unknown }).backend !== 'string'
  ) {
    throw new ConfigurationError(`${path.pathname}: store.backend must name a backend`);
  }
  const { filename } = store as { filename?: unknown };
  const base = dirname(path.pathname);
  return {
    store: {
      ...(store as ExampleConfig['store']),
      ...(typeof filename === 'string' && filename !== ':memory:' && !isAbsolute(filename)
        ? { filename: resolve(base, filename) }
        : {}),
    },
  };
}

/**
 * Builds the configured backend through its adapter's `backendFactory`.
 *
 * @example
 * ```ts
 * const backend = await openStore(config, { clock: clock.now });
 * ```
 */
export async function openStore<V>(
  config: ExampleConfig,
  options: BackendOptions<V>,
): Promise<Backend<V>> {
  const module = (await import(`@digests/${config.store.backend}`)) as {
    backendFactory: BackendFactory;
  };
  return (await module.backendFactory.create(
    config.store,
    options as BackendOptions<unknown>,
    'store',
  )) as Backend<V>;
}
