/**
 * Where option values live: a flat map from option name (with an optional
 * `:scope` suffix, e.g. `digests.minimumDelay:mail:p:1`) to its
 * JSON-encoded value. Every adapter package provides one; the in-process
 * {@link OptionsStore} caches in front of it. Implementations reject
 * `BackendUnavailableError` when the store cannot be reached, so the cache
 * can serve stale values.
 *
 * The contract (`runOptionsStorageConformance` checks it): `get` of a name
 * never set or deleted resolves `undefined`; `set` replaces; `delete` of a
 * missing name is a no-op; names are compared exactly (any characters, up to
 * 2048 UTF-16 units) and values are returned byte for byte.
 *
 * @example
 * ```ts
 * const storage: OptionsStorage = new MemoryOptionsStorage();
 * await storage.set('digests.enabled:mail:p:1', 'false');
 * await storage.get('digests.enabled:mail:p:1'); // 'false'
 * ```
 */
export interface OptionsStorage {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  /** Releases what the storage opened itself, if anything. */
  close?(): Promise<void>;
}
