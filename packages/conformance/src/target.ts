import type { Backend, BackendOptions, DigestStore } from '@digests/core';
import { StoreBackend } from '@digests/core';
import type { CaseName } from './rules.js';

/**
 * What a backend hands the conformance kit: how to build a fresh, empty
 * backend per case, and how to count what the store holds.
 *
 * @example
 * ```ts
 * runConformance({
 *   name: 'memory',
 *   create: async (options) => new MemoryBackend(options),
 * });
 * ```
 */
export interface ConformanceTarget {
  /** Shown in the `describe` titles. */
  readonly name: string;
  /**
   * A fresh, empty backend built with `options` (always including `clock`).
   * Must reject `ConfigurationError` for invalid options.
   */
  create(options: BackendOptions<unknown>): Promise<Backend<unknown>>;
  /** Called after each case with every backend `create` returned. Default: `close()`. */
  destroy?(backend: Backend<unknown>): Promise<void>;
  /**
   * How many keys / rows / entries this backend holds right now (0 when it
   * holds nothing). Enables every "writes nothing" and "leaves nothing"
   * check. A {@link StoreBackend} needs none (the kit asks its store). Any
   * other backend must give it, or say `false`: the kit then prints that
   * those checks are off, instead of silently skipping them.
   */
  readonly storedItems?: ((backend: Backend<unknown>) => Promise<number>) | false;
  /** Case titles to leave out; each needs a reason next to it in the caller's code. */
  readonly skip?: readonly CaseName[];
}

/**
 * A store hands the kit only a factory of fresh, empty stores: the kit wraps
 * each in {@link StoreBackend} with the case's options, and counts what it
 * holds through `DigestStore.storedItems`.
 *
 * @example
 * ```ts
 * runConformance({ name: 'my-store', createStore: async () => new MyStore(url) });
 * ```
 */
export interface StoreTarget {
  readonly name: string;
  /** A fresh, empty store. The kit closes it (through the backend) after each case. */
  createStore(): DigestStore | Promise<DigestStore>;
  readonly skip?: readonly CaseName[];
}

/**
 * Either form of target.
 *
 * @example
 * ```ts
 * const target: KitTarget = { name: 'memory', createStore: () => new MemoryStore() };
 * ```
 */
export type KitTarget = ConformanceTarget | StoreTarget;

/**
 * A target in backend form, whatever form it was given in.
 *
 * @example
 * ```ts
 * const target = backendTarget({ name: 'memory', createStore: () => new MemoryStore() });
 * const backend = await target.create({ clock: () => 0 });
 * ```
 */
export function backendTarget(target: KitTarget): ConformanceTarget {
  if ('create' in target) return target;
  return {
    name: target.name,
    create: async (options) => new StoreBackend(await target.createStore(), options),
    ...(target.skip === undefined ? {} : { skip: target.skip }),
  };
}

/**
 * The store count of `backend`: the target's own, else a
 * {@link StoreBackend}'s. `undefined` when the target said `storedItems: false`.
 *
 * @example
 * ```ts
 * const items = await storedItemsOf(target, backend); // 0 when nothing is stored
 * ```
 */
export async function storedItemsOf(
  target: ConformanceTarget,
  backend: Backend<unknown>,
): Promise<number | undefined> {
  if (target.storedItems === false) return undefined;
  if (target.storedItems !== undefined) return target.storedItems(backend);
  if (backend instanceof StoreBackend) return backend.storedItems();
  throw new Error(
    `${target.name}: the kit cannot count what this backend stores. Give the target ` +
      '`storedItems(backend)`, or `storedItems: false` to turn the "writes nothing" checks off.',
  );
}

/**
 * Whether the "writes nothing" checks run for `target`; prints a notice once
 * when they are off.
 *
 * @example
 * ```ts
 * if (countsStoredItems(target)) console.log('writes-nothing checks on');
 * ```
 */
export function countsStoredItems(target: ConformanceTarget): boolean {
  if (target.storedItems !== false) return true;
  if (!noticed.has(target.name)) {
    noticed.add(target.name);
    console.warn(
      `[digests conformance] ${target.name}: storedItems is false — every "writes nothing" ` +
        'and "leaves nothing" check is OFF for this target.',
    );
  }
  return false;
}

const noticed = new Set<string>();
