import { ConfigurationError } from '../errors.js';
import { assertValidKey } from '../keys.js';
import type { Clock } from '../options.js';
import type { WorkerLogger } from '../worker/worker-logger.js';
import type { OptionDefinition } from './option-definition.js';
import { OptionsCache } from './options-cache.js';
import { OptionsRegistry } from './options-registry.js';
import type { OptionsStorage } from './options-storage.js';

/**
 * Options of {@link OptionsStore}.
 *
 * @example
 * ```ts
 * const options: OptionsStoreOptions = { storage, registry, ttl: 5_000, grace: 300_000, logger: console };
 * ```
 */
export interface OptionsStoreOptions {
  readonly storage: OptionsStorage;
  /** Default: a new, empty registry. */
  readonly registry?: OptionsRegistry;
  /** A fetched value is served without asking the storage for this long. Default 10 000 ms. */
  readonly ttl?: number;
  /** While the storage fails, a value past its TTL is served this much longer. Default 60 000 ms. */
  readonly grace?: number;
  /** Cached names at most. Default 50 000. */
  readonly maxEntries?: number;
  /** Default `Date.now`. */
  readonly clock?: Clock;
  /** Told about storage failures and bad stored values. `console` fits. */
  readonly logger?: Pick<WorkerLogger, 'warn'>;
}

/**
 * Typed options with defaults, stored in an {@link OptionsStorage} and cached
 * in this process (Sentry's options store). A value may be set globally
 * (`digests.minimumDelay`) or for one scope such as a timeline key
 * (`digests.minimumDelay:mail:p:1`); a read looks at the scope, then the
 * global value, then the default.
 *
 * Each storage name is cached on its own: served from memory until `ttl`
 * passes, then fetched again; if that fetch fails, the stale value is served
 * until `ttl + grace`, and after that the option reads as unset (so the next
 * level, finally the default, applies). Concurrent reads of one name share a
 * fetch. Writes go to the storage first — a failure rejects and leaves the
 * cache alone — then to the cache, so this process sees its own write at once;
 * other processes see it within `ttl`.
 *
 * @example
 * ```ts
 * const registry = new OptionsRegistry();
 * const minimumDelay = registry.register('digests.minimumDelay', { type: 'number', default: 300_000 });
 * const store = new OptionsStore({ storage: new MemoryOptionsStorage(), registry });
 * await store.set(minimumDelay, 60_000, 'mail:p:1');
 * await store.get(minimumDelay, 'mail:p:1'); // 60 000
 * await store.get(minimumDelay, 'mail:p:2'); // 300 000
 * ```
 */
export class OptionsStore {
  readonly #storage: OptionsStorage;
  readonly #registry: OptionsRegistry;
  readonly #cache: OptionsCache;
  readonly #logger: Pick<WorkerLogger, 'warn'> | undefined;
  readonly #pending = new Map<string, Promise<string | undefined>>();

  constructor(options: OptionsStoreOptions) {
    const { storage } = options;
    if (typeof storage?.get !== 'function' || typeof storage.set !== 'function') {
      throw new ConfigurationError('options store needs a storage with get/set/delete');
    }
    const ttl = nonNegative(options.ttl ?? 10_000, 'ttl');
    const grace = nonNegative(options.grace ?? 60_000, 'grace');
    const maxEntries = options.maxEntries ?? 50_000;
    if (!(Number.isSafeInteger(maxEntries) && maxEntries >= 1)) {
      throw new ConfigurationError(`maxEntries must be an integer ≥ 1, got ${String(maxEntries)}`);
    }
    this.#storage = storage;
    this.#registry = options.registry ?? new OptionsRegistry();
    this.#cache = new OptionsCache({ ttl, grace, maxEntries, clock: options.clock ?? Date.now });
    this.#logger = options.logger;
  }

  /** The registry the store's options are declared in. */
  get registry(): OptionsRegistry {
    return this.#registry;
  }

  /** How many storage names are cached (bounded by `maxEntries`). */
  get cachedEntries(): number {
    return this.#cache.size;
  }

  /**
   * The option's value for `scope` (e.g. a timeline key), else its global
   * value, else its default. Never rejects for a storage failure.
   */
  async get<V>(option: OptionDefinition<V>, scope?: string): Promise<V> {
    if (scope !== undefined) {
      const scoped = await this.#read(option, storageName(option, scope));
      if (scoped !== undefined) return scoped;
    }
    const global = await this.#read(option, option.name);
    return global !== undefined ? global : option.default;
  }

  /**
   * Stores `value` (globally, or for `scope`). Rejects `ConfigurationError`
   * for a value the option does not accept, and whatever the storage rejects.
   */
  async set<V>(
    option: OptionDefinition<V>,
    value: Exclude<V, undefined>,
    scope?: string,
  ): Promise<void> {
    if (!option.accepts(value)) {
      throw new ConfigurationError(`${String(value)} is not a valid value of ${option.name}`);
    }
    const name = storageName(option, scope);
    const raw = JSON.stringify(value);
    await this.#write(name, () => this.#storage.set(name, raw));
    this.#cache.store(name, raw);
  }

  /** Removes the value (globally, or for `scope`): reads fall back to the next level. */
  async delete(option: OptionDefinition<unknown>, scope?: string): Promise<void> {
    const name = storageName(option, scope);
    await this.#write(name, () => this.#storage.delete(name));
    this.#cache.store(name, undefined);
  }

  /** Drops cache entries past TTL + grace now (it also happens on its own). */
  sweep(): number {
    return this.#cache.sweep();
  }

  async #write(name: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      // The storage may or may not hold the new value: ask it next time.
      this.#cache.forget(name);
      throw error;
    }
  }

  async #read<V>(option: OptionDefinition<V>, name: string): Promise<V | undefined> {
    const raw = await this.#raw(name);
    if (raw === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    if (option.accepts(value)) return value;
    this.#logger?.warn('ignoring an invalid stored option value', { name, raw });
    return undefined;
  }

  async #raw(name: string): Promise<string | undefined> {
    const cached = this.#cache.lookup(name);
    if (cached.state === 'fresh') return cached.raw;
    let fetch = this.#pending.get(name);
    if (fetch === undefined) {
      fetch = this.#storage.get(name).finally(() => this.#pending.delete(name));
      this.#pending.set(name, fetch);
    }
    try {
      const raw = await fetch;
      this.#cache.store(name, raw);
      return raw;
    } catch (error) {
      this.#logger?.warn('options storage unavailable', {
        name,
        error,
        serving: cached.state === 'stale' ? 'stale value' : 'default',
      });
      return cached.state === 'stale' ? cached.raw : undefined;
    }
  }
}

/**
 * The storage name of an option, globally or for a scope: `name` or
 * `name:scope`. Option names cannot contain `:`, so the first `:` always
 * ends the name, whatever the scope holds.
 *
 * @example
 * ```ts
 * storageName(minimumDelay, 'mail:p:1'); // 'digests.minimumDelay:mail:p:1'
 * ```
 */
export function storageName(option: OptionDefinition<unknown>, scope?: string): string {
  if (scope === undefined) return option.name;
  assertValidKey(scope, 'option scope');
  return `${option.name}:${scope}`;
}

function nonNegative(value: number, name: string): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new ConfigurationError(`${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}
