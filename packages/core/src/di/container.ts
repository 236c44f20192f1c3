import { Container } from 'inversify';
import type { Backend } from '../backend.js';
import type { BackendFactory } from '../backend-factory.js';
import type { Clock } from '../options.js';
import type { Sleep } from '../retry/sleep.js';
import { silentWorkerLogger, type WorkerLogger } from '../worker/worker-logger.js';
import { AdapterRegistry } from './adapter-registry.js';
import { buildBackend } from './build-backend.js';
import { validateConfig } from './config.js';
import { TOKENS } from './tokens.js';

/** Options of {@link createDigestsContainer}. */
export interface DigestsContainerOptions {
  /** Where adapters are found. Default: a registry importing `@digests/<name>`. */
  readonly registry?: AdapterRegistry;
  /** Extra factories, registered on the registry (e.g. your own store). */
  readonly factories?: readonly BackendFactory[];
  /** The source of "now" for every adapter. Default `Date.now`. */
  readonly clock?: Clock;
  /** Where survived failures are reported. Default: silent. */
  readonly logger?: WorkerLogger;
  /** How retrying backends wait (tests). Default: a timer. */
  readonly sleep?: Sleep;
  /** Bind into this container instead of a new one. */
  readonly container?: Container;
}

/**
 * Validates `config`, builds the backend tree it describes (importing the
 * adapters it names), and returns an inversify `Container` with:
 * `TOKENS.Backend` (the root, a singleton), `TOKENS.Config`, `TOKENS.Clock`
 * and `TOKENS.Logger`. Disposing the container ({@link disposeDigestsContainer},
 * or `container.unbind(TOKENS.Backend)` / `unbindAll()`) aborts the retries in
 * the tree and closes the root backend, which closes every backend under it.
 *
 * @example
 * ```ts
 * const container = await createDigestsContainer(await loadConfig('digests.json'), { logger: console });
 * const backend = container.get<Backend>(TOKENS.Backend);
 * // …
 * await disposeDigestsContainer(container);
 * ```
 */
export async function createDigestsContainer(
  config: unknown,
  options: DigestsContainerOptions = {},
): Promise<Container> {
  const validated = validateConfig(config);
  const registry = options.registry ?? new AdapterRegistry();
  for (const factory of options.factories ?? []) registry.register(factory);
  const clock = options.clock ?? Date.now;
  const logger = options.logger ?? silentWorkerLogger;
  const shutdown = new AbortController();
  const backend = await buildBackend(validated, {
    registry,
    clock,
    logger,
    signal: shutdown.signal,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });

  const container = options.container ?? new Container();
  container.bind(TOKENS.Config).toConstantValue(validated);
  container.bind(TOKENS.Clock).toConstantValue(clock);
  container.bind(TOKENS.Logger).toConstantValue(logger);
  container
    .bind<Backend<unknown>>(TOKENS.Backend)
    .toConstantValue(backend)
    .onDeactivation(async (root) => {
      shutdown.abort();
      await root.close();
    });
  // Resolve once: inversify deactivates only values it has handed out.
  container.get(TOKENS.Backend);
  return container;
}

/**
 * Unbinds everything from a container made by {@link createDigestsContainer},
 * closing its singletons (the backend tree).
 *
 * @example
 * ```ts
 * process.on('SIGTERM', () => void disposeDigestsContainer(container));
 * ```
 */
export async function disposeDigestsContainer(container: Container): Promise<void> {
  await container.unbindAll();
}
