import type { AddOptions, Backend, TimelineRecord } from './backend.js';
import { checkAddInput } from './containers/check-input.js';
import { ConfigurationError } from './errors.js';
import { type CheckedAdd, checkStoreAdd, toCheckedAdd } from './input.js';
import type { ResolvedOptions } from './options.js';
import type { StoreAdd } from './store.js';

/** One record for one timeline, as `addMany` takes them. */
export interface AddEntry<V = unknown> {
  readonly key: string;
  readonly record: TimelineRecord<V>;
}

/**
 * An optional capability: a backend that ingests many records per round trip.
 * `addMany(entries)` behaves exactly like `add` called on each entry in
 * order — the same schedule arithmetic, the same results — but validates
 * every entry before writing any: one bad entry rejects the whole batch and
 * nothing is written. Each entry is applied atomically; the batch as a whole
 * is not (a store failure part-way leaves a prefix applied — retrying the
 * batch is safe, since re-adding a record key replaces it).
 *
 * @example
 * ```ts
 * const firsts = await backend.addMany([
 *   { key: 'mail:p:1', record: { key: 'e1', value: 'a', timestamp: now } },
 *   { key: 'mail:p:2', record: { key: 'e2', value: 'b', timestamp: now } },
 * ]);
 * // firsts[i] is what add() would have resolved for entry i
 * ```
 */
export interface AddManySource<V = unknown> {
  addMany(entries: readonly AddEntry<V>[], options?: AddOptions): Promise<boolean[]>;
}

/**
 * Whether `backend` ingests batches natively ({@link AddManySource}).
 *
 * @example
 * ```ts
 * if (hasAddMany(backend)) await backend.addMany(entries);
 * ```
 */
export function hasAddMany<V>(backend: Backend<V>): backend is Backend<V> & AddManySource<V> {
  return typeof (backend as Partial<AddManySource<V>>).addMany === 'function';
}

/**
 * Adds a batch through the backend's native `addMany` when it has one, else
 * through `add` one entry at a time. Either way keys, records and delays are
 * validated for the whole batch first; a native `addMany` also encodes every
 * value first, so one bad entry writes nothing. (Through the fallback a
 * value the codec rejects fails its own `add`, after earlier entries.)
 *
 * @example
 * ```ts
 * const firsts = await addMany(backend, entries);
 * for (const [i, first] of firsts.entries()) if (first) deliverNow(entries[i].key);
 * ```
 */
export async function addMany<V>(
  backend: Backend<V>,
  entries: readonly AddEntry<V>[],
  options?: AddOptions,
): Promise<boolean[]> {
  if (hasAddMany(backend)) return backend.addMany(entries, options);
  // Keys, records and delays are checked before the first write; values are
  // checked by each add (only the backend knows its codec).
  checkAddMany(entries, options);
  const results: boolean[] = [];
  for (const { key, record } of entries) results.push(await backend.add(key, record, options));
  return results;
}

/**
 * Validates a whole batch before anything is written; throws the first bad
 * entry's error (`InvalidKeyError`, `InvalidRecordError`, `CodecError`,
 * `ConfigurationError`). With `resolved` (a backend's options) it also
 * encodes every value with the backend's codec; without, it checks keys,
 * records and delays only — values are then checked by each `add`.
 *
 * @example
 * ```ts
 * async addMany(entries, options) {
 *   const checked = checkAddMany(entries, options, this.#options);
 *   // … write every checked entry …
 * }
 * ```
 */
export function checkAddMany<V>(
  entries: readonly AddEntry<V>[],
  options: AddOptions | undefined,
  resolved: ResolvedOptions<V>,
): CheckedAdd[];
export function checkAddMany<V>(entries: readonly AddEntry<V>[], options?: AddOptions): void;
export function checkAddMany<V>(
  entries: readonly AddEntry<V>[],
  options?: AddOptions,
  resolved?: ResolvedOptions<V>,
): CheckedAdd[] | undefined {
  if (resolved) return checkStoreAdds(entries, options, resolved).map(toCheckedAdd);
  assertEntries(entries);
  for (const [i, entry] of entries.entries()) {
    assertEntry(entry, i);
    checkAddInput(entry.key, entry.record, options);
  }
  return undefined;
}

/**
 * {@link checkAddMany} with a backend's options, shaped as the store's step
 * input: every entry checked and encoded before anything is written.
 *
 * @example
 * ```ts
 * const adds = checkStoreAdds(entries, options, this.#options);
 * await store.add(adds, context);
 * ```
 */
export function checkStoreAdds<V>(
  entries: readonly AddEntry<V>[],
  options: AddOptions | undefined,
  resolved: ResolvedOptions<V>,
): StoreAdd[] {
  assertEntries(entries);
  const adds: StoreAdd[] = [];
  for (const [i, entry] of entries.entries()) {
    assertEntry(entry, i);
    adds.push(checkStoreAdd(entry.key, entry.record, options, resolved));
  }
  return adds;
}

function assertEntries(entries: unknown): asserts entries is readonly unknown[] {
  if (!Array.isArray(entries)) throw new ConfigurationError('addMany needs an array of entries');
}

function assertEntry<V>(entry: AddEntry<V>, i: number): void {
  if (typeof entry !== 'object' || entry === null) {
    throw new ConfigurationError(`addMany entry ${i} must be { key, record }`);
  }
}
