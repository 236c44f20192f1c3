import { BackendUnavailableError } from '../../src/errors.js';
import { MemoryOptionsStorage } from '../../src/options-store/memory-options-storage.js';
import type { OptionsStorage } from '../../src/options-store/options-storage.js';

/** A memory storage that fails on command and counts its reads. */
export class FailingStorage implements OptionsStorage {
  readonly inner = new MemoryOptionsStorage();
  failing = false;
  reads = 0;

  async get(name: string): Promise<string | undefined> {
    this.reads++;
    this.#check();
    return this.inner.get(name);
  }

  async set(name: string, value: string): Promise<void> {
    this.#check();
    return this.inner.set(name, value);
  }

  async delete(name: string): Promise<void> {
    this.#check();
    return this.inner.delete(name);
  }

  #check(): void {
    if (this.failing) throw new BackendUnavailableError('options storage is down');
  }
}
