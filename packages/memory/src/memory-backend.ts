import { type BackendOptions, StoreBackend } from '@digests/core';
import { MemoryStore } from './memory-store.js';

/** Options of {@link MemoryBackend}: only the shared ones. */
export type MemoryBackendOptions<V = unknown> = BackendOptions<V>;

/**
 * A digests backend that lives in this process's memory. It is a product,
 * not a test double: single-process applications, tests and the embedded
 * default use it. Values are stored encoded, so the codec's checks apply and
 * callers never share objects with the store.
 *
 * Costs: `add` O(log n) (O(c log c) when it trims to capacity c),
 * `schedule` O(k log n) for k due keys, `maintenance` O(k log n) for k
 * stuck keys, `list` O(n log n).
 *
 * @example
 * ```ts
 * import { MemoryBackend } from '@digests/memory';
 *
 * const backend = new MemoryBackend<{ text: string }>({ minimumDelay: 60_000 });
 * await backend.add('mail:p:1', { key: 'e1', value: { text: 'disk full' }, timestamp: Date.now() });
 * await backend.digest('mail:p:1', (records) => console.log(records));
 * ```
 */
export class MemoryBackend<V = unknown> extends StoreBackend<V> {
  constructor(options: MemoryBackendOptions<V> = {}) {
    super(new MemoryStore(), options);
  }
}
