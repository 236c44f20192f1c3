import type { Backend } from '../backend.js';
import type { BackendFactory } from '../backend-factory.js';
import { FallbackBackend } from '../containers/fallback-backend.js';
import type { Logger } from '../containers/logger.js';
import { NullBackend } from '../containers/null-backend.js';
import { PolyBackend } from '../containers/poly-backend.js';
import { RoutingBackend } from '../containers/routing-backend.js';
import { ConfigurationError } from '../errors.js';
import type { Clock } from '../options.js';
import { RetryingBackend } from '../retry/retrying-backend.js';
import type { Sleep } from '../retry/sleep.js';
import type { AdapterRegistry } from './adapter-registry.js';
import {
  type BackendConfig,
  CONTAINER_KINDS,
  checkAdapterConfig,
  type FallbackConfig,
  type PolyConfig,
  type RetryingConfig,
  type RoutingConfig,
  rootNode,
} from './config.js';
import { type OptionsConfig, toBackendOptions } from './options-config.js';
import { checkRoute } from './route.js';

/** Undoes one built node when a later one fails: closes an adapter, stops a mover. */
type Closer = () => Promise<void>;

/** An adapter node's factory and the fields it gets, found before anything is built. */
interface Adapter {
  readonly factory: BackendFactory;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** What building a tree needs besides the config. */
export interface BuildContext {
  readonly registry: AdapterRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Ends the retries of every `RetryingBackend` in the tree (on dispose). */
  readonly signal?: AbortSignal;
  /** How retrying backends wait; tests pass one that does not. */
  readonly sleep?: Sleep;
}

/**
 * Builds the backend tree a validated config describes: containers here,
 * adapters by their factories (found by name), each adapter given the
 * options merged down from its ancestors. Every adapter is found and its
 * fields checked against its schema before any node is built, so a typo in
 * the secondary opens no connection to the primary. When one node fails to
 * build, the nodes already built are closed before the error is thrown.
 *
 * @example
 * ```ts
 * const backend = await buildBackend(validateConfig(config), {
 *   registry: new AdapterRegistry(),
 *   clock: Date.now,
 *   logger: console,
 * });
 * ```
 */
export async function buildBackend(
  config: BackendConfig,
  context: BuildContext,
): Promise<Backend<unknown>> {
  const root = rootNode(config, 'config');
  const adapters = new Map<object, Adapter>();
  await findAdapters(root, 'config', context.registry, adapters);
  const built: Closer[] = [];
  try {
    return await buildNode(root, { ...context, adapters }, {}, 'config', built);
  } catch (error) {
    await Promise.allSettled(built.reverse().map((close) => close()));
    throw error;
  }
}

async function findAdapters(
  node: BackendConfig,
  path: string,
  registry: AdapterRegistry,
  adapters: Map<object, Adapter>,
): Promise<void> {
  const fields = node as unknown as Record<string, unknown>;
  if (!(CONTAINER_KINDS as readonly string[]).includes(node.backend)) {
    const factory = await registry.get(node.backend, path);
    adapters.set(node, { factory, fields: checkAdapterConfig(node, factory, path) });
    return;
  }
  const children: [unknown, string][] = [
    ...['primary', 'secondary', 'inner'].map((field): [unknown, string] => [
      fields[field],
      `${path}.${field}`,
    ]),
    ...(Array.isArray(fields.backends) ? fields.backends : []).map(
      (child, i): [unknown, string] => [child, `${path}.backends[${i}]`],
    ),
  ];
  for (const [child, at] of children) {
    if (child !== undefined) await findAdapters(child as BackendConfig, at, registry, adapters);
  }
}

async function buildNode(
  config: BackendConfig,
  context: BuildContext & { readonly adapters: ReadonlyMap<object, Adapter> },
  inherited: OptionsConfig,
  path: string,
  built: Closer[],
): Promise<Backend<unknown>> {
  const options: OptionsConfig = { ...inherited, ...config.options };
  const child = (node: BackendConfig, at: string) => buildNode(node, context, options, at, built);
  const { logger } = context;
  switch (config.backend) {
    case 'null':
      return new NullBackend();
    case 'poly': {
      const { backends } = config as PolyConfig;
      const inner: Backend<unknown>[] = [];
      for (const [i, node] of backends.entries())
        inner.push(await child(node, `${path}.backends[${i}]`));
      return new PolyBackend(inner, { logger });
    }
    case 'fallback': {
      const { primary, secondary, moveInterval, retryPrimaryAfter } = config as FallbackConfig;
      const fallback = new FallbackBackend({
        primary: await child(primary, `${path}.primary`),
        secondary: await child(secondary, `${path}.secondary`),
        logger,
        ...(moveInterval === undefined ? {} : { moveInterval }),
        ...(retryPrimaryAfter === undefined ? {} : { retryPrimaryAfter }),
      });
      built.push(() => fallback.mover.stop());
      return fallback;
    }
    case 'routing': {
      const { route, primary, secondary } = config as RoutingConfig;
      return new RoutingBackend({
        predicate: checkRoute(route, `${path}.route`),
        primary: await child(primary, `${path}.primary`),
        secondary: await child(secondary, `${path}.secondary`),
        logger,
      });
    }
    case 'retrying': {
      const { inner, delays, repeatLast } = config as RetryingConfig;
      return new RetryingBackend({
        backend: await child(inner, `${path}.inner`),
        delays,
        repeatLast: repeatLast ?? false,
        logger,
        ...(context.signal ? { signal: context.signal } : {}),
        ...(context.sleep ? { sleep: context.sleep } : {}),
      });
    }
    default: {
      const { factory, fields } = context.adapters.get(config)!;
      const backendOptions = toBackendOptions(inherited, config.options, path, context.clock);
      const backend = await factory.create(fields, backendOptions, path);
      if (typeof backend?.add !== 'function' || typeof backend.close !== 'function') {
        throw new ConfigurationError(
          `${path}: the "${config.backend}" factory did not return a backend`,
        );
      }
      built.push(() => backend.close());
      return backend;
    }
  }
}
