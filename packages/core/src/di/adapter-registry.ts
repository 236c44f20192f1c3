import type { BackendFactory } from '../backend-factory.js';
import { ConfigurationError } from '../errors.js';
import { nearestName } from './nearest-name.js';

/** The adapters this project publishes, named when a config names none of them. */
export const KNOWN_ADAPTERS = Object.freeze(['memory', 'sqlite', 'postgres', 'mysql', 'redis']);

const CONTAINERS = ['null', 'poly', 'fallback', 'routing', 'retrying'];

/** Loads a module by specifier; the default is the runtime's `import()`. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** Options of {@link AdapterRegistry}. */
export interface AdapterRegistryOptions {
  /** Factories known up front; they win over packages of the same name. */
  readonly factories?: readonly BackendFactory[];
  /** How a package is loaded. Default: `import()`. */
  readonly importer?: ModuleImporter;
  /** The package an adapter name maps to. Default: `` `@digests/${name}` ``. */
  readonly packageOf?: (name: string) => string;
}

/**
 * Finds a `BackendFactory` by the name a config uses. Registered factories
 * come first; otherwise the adapter package is imported at run time
 * (`"redis"` → `@digests/redis`) and its exported `backendFactory` is used,
 * so `@digests/core` never imports an adapter. Each package is imported once.
 *
 * @example
 * ```ts
 * const registry = new AdapterRegistry({ factories: [myStoreFactory] });
 * const redis = await registry.get('redis', 'config.primary'); // imports @digests/redis
 * ```
 */
export class AdapterRegistry {
  readonly #factories = new Map<string, BackendFactory>();
  readonly #loading = new Map<string, Promise<BackendFactory>>();
  readonly #importer: ModuleImporter;
  readonly #packageOf: (name: string) => string;

  constructor(options: AdapterRegistryOptions = {}) {
    this.#importer = options.importer ?? ((specifier) => import(specifier));
    this.#packageOf = options.packageOf ?? ((name) => `@digests/${name}`);
    for (const factory of options.factories ?? []) this.register(factory);
  }

  /** Makes `factory` available under `factory.name`; returns `this`. */
  register(factory: BackendFactory): this {
    if (typeof factory?.name !== 'string' || typeof factory.create !== 'function') {
      throw new ConfigurationError('a BackendFactory needs a name and a create() function');
    }
    this.#factories.set(factory.name, factory);
    return this;
  }

  /**
   * The factory for `name`. Rejects `ConfigurationError` naming `path` when
   * the package is missing or exports no `backendFactory` of that name.
   */
  get(name: string, path: string): Promise<BackendFactory> {
    const registered = this.#factories.get(name);
    if (registered !== undefined) return Promise.resolve(registered);
    let loading = this.#loading.get(name);
    if (loading === undefined) {
      loading = this.#load(name, path);
      this.#loading.set(name, loading);
      loading.catch(() => this.#loading.delete(name));
    }
    return loading;
  }

  async #load(name: string, path: string): Promise<BackendFactory> {
    const specifier = this.#packageOf(name);
    let module: unknown;
    try {
      module = await this.#importer(specifier);
    } catch (cause) {
      const missing =
        (cause as { code?: unknown } | null)?.code === 'ERR_MODULE_NOT_FOUND' &&
        String((cause as Error).message).includes(`'${specifier}'`);
      const known = [...new Set([...CONTAINERS, ...this.#factories.keys(), ...KNOWN_ADAPTERS])];
      const nearest = nearestName(name, known);
      // A package that is simply absent needs no stack of import internals; a broken one does.
      throw new ConfigurationError(
        `${path}.backend: no backend named "${name}"${nearest === undefined ? '' : ` — did you mean "${nearest}"?`} (known: ${known.join(', ')}; for another adapter install ${specifier} or register its BackendFactory)`,
        missing ? {} : { cause },
      );
    }
    const factory = (module as { backendFactory?: BackendFactory } | null)?.backendFactory;
    if (typeof factory?.create !== 'function' || factory.name !== name) {
      throw new ConfigurationError(
        `${path}.backend: ${specifier} does not export a backendFactory named "${name}"`,
      );
    }
    return factory;
  }
}
