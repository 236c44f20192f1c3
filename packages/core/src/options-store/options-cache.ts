import type { Clock } from '../options.js';

/**
 * What the cache knows about one storage name.
 *
 * @example
 * ```ts
 * const hit: CacheLookup = cache.lookup('digests.enabled');
 * if (hit.state === 'fresh') return hit.raw;
 * ```
 */
export type CacheLookup =
  | { readonly state: 'fresh'; readonly raw: string | undefined }
  | { readonly state: 'stale'; readonly raw: string | undefined }
  | { readonly state: 'missing' };

/**
 * Options of {@link OptionsCache}.
 *
 * @example
 * ```ts
 * const options: OptionsCacheOptions = { ttl: 10_000, grace: 60_000, maxEntries: 50_000, clock: Date.now };
 * ```
 */
export interface OptionsCacheOptions {
  /** Served without asking the storage for this long. */
  readonly ttl: number;
  /** After the TTL, served while the storage fails for this much longer. */
  readonly grace: number;
  /** At most this many entries; the least recently used go first. */
  readonly maxEntries: number;
  readonly clock: Clock;
}

interface Entry {
  readonly raw: string | undefined;
  readonly fetchedAt: number;
}

/**
 * The options store's local cache of raw (JSON) values by storage name, with
 * three windows per entry: fresh until `fetchedAt + ttl`, stale (usable only
 * when the storage fails) until `+ grace` more, then gone. Expired entries
 * are swept (a full scan) at most once per `ttl` on writes, and the size is
 * capped by evicting the least recently used.
 *
 * @example
 * ```ts
 * const cache = new OptionsCache({ ttl: 10_000, grace: 60_000, maxEntries: 50_000, clock: Date.now });
 * cache.store('digests.enabled', 'true');
 * cache.lookup('digests.enabled'); // { state: 'fresh', raw: 'true' }
 * ```
 */
export class OptionsCache {
  readonly #options: OptionsCacheOptions;
  readonly #entries = new Map<string, Entry>();
  #lastSweep: number;

  constructor(options: OptionsCacheOptions) {
    this.#options = options;
    this.#lastSweep = options.clock();
  }

  /** How many entries are held. */
  get size(): number {
    return this.#entries.size;
  }

  lookup(name: string): CacheLookup {
    const entry = this.#entries.get(name);
    if (entry === undefined) return { state: 'missing' };
    const age = this.#options.clock() - entry.fetchedAt;
    this.#entries.delete(name);
    if (age >= this.#options.ttl + this.#options.grace) return { state: 'missing' };
    // Re-inserting keeps the map in least-recently-used order for eviction.
    this.#entries.set(name, entry);
    return { state: age < this.#options.ttl ? 'fresh' : 'stale', raw: entry.raw };
  }

  /** Records what the storage holds for `name` now (`undefined`: nothing). */
  store(name: string, raw: string | undefined): void {
    const now = this.#options.clock();
    this.#entries.delete(name);
    this.#entries.set(name, { raw, fetchedAt: now });
    if (now - this.#lastSweep >= this.#options.ttl) this.sweep();
    if (this.#entries.size > this.#options.maxEntries) this.sweep();
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#options.maxEntries) break;
      this.#entries.delete(oldest);
    }
  }

  /** Forgets `name` (e.g. after a failed write left its value unknown). */
  forget(name: string): void {
    this.#entries.delete(name);
  }

  /** Removes the entries past TTL + grace; returns how many. */
  sweep(): number {
    const now = this.#options.clock();
    this.#lastSweep = now;
    const limit = this.#options.ttl + this.#options.grace;
    let removed = 0;
    for (const [name, entry] of this.#entries) {
      if (now - entry.fetchedAt < limit) continue;
      this.#entries.delete(name);
      removed++;
    }
    return removed;
  }
}
