import type { OptionsStorage } from './options-storage.js';

/**
 * An {@link OptionsStorage} in this process's memory: for tests, single
 * process applications, and as the reference implementation of the contract.
 *
 * @example
 * ```ts
 * const store = new OptionsStore({ storage: new MemoryOptionsStorage(), registry });
 * ```
 */
export class MemoryOptionsStorage implements OptionsStorage {
  readonly #values = new Map<string, string>();

  async get(name: string): Promise<string | undefined> {
    return this.#values.get(name);
  }

  async set(name: string, value: string): Promise<void> {
    this.#values.set(name, value);
  }

  async delete(name: string): Promise<void> {
    this.#values.delete(name);
  }

  /** How many names are stored (for tests). */
  get size(): number {
    return this.#values.size;
  }
}
