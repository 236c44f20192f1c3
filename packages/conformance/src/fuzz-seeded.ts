import type { Backend, TimelineInfo, TimelineRecord } from '@digests/core';
import fc from 'fast-check';
import { expect } from 'vitest';
import { EPOCH } from './harness.js';
import { type ConformanceTarget, storedItemsOf } from './target.js';

/** What `call` threw (a schedule: what iterating it threw), or `'resolved'`. */
export async function rejection(
  call: () => Promise<unknown> | AsyncIterable<unknown>,
): Promise<unknown> {
  try {
    const result = call();
    if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) {
      for await (const _ of result as AsyncIterable<unknown>) {
        // a rejected schedule must throw before it yields
      }
      return 'resolved';
    }
    await result;
    return 'resolved';
  } catch (error) {
    return error;
  }
}

/** `value` as fast-check prints it, cut at 200 characters. */
export function describeInput(value: unknown): string {
  const text = fc.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
}

/** `info` without its `undefined` fields, to compare with `toEqual`. */
export function strip(info: TimelineInfo): TimelineInfo {
  return Object.fromEntries(
    Object.entries(info).filter(([, v]) => v !== undefined),
  ) as unknown as TimelineInfo;
}

/** Closes `backend` the target's way (`destroy`, else `close`). */
export function destroy(target: ConformanceTarget, backend: Backend<unknown>): Promise<void> {
  return (target.destroy ?? ((b: Backend<unknown>) => b.close()))(backend);
}

/**
 * Runs `fn` on a fresh backend of `target` with a clock of its own, then
 * destroys the backend.
 */
export async function withBackend(
  target: ConformanceTarget,
  fn: (backend: Backend<unknown>, clock: { now: number }) => Promise<void>,
): Promise<void> {
  const clock = { now: EPOCH };
  const backend = await target.create({ clock: () => clock.now });
  try {
    await fn(backend, clock);
  } finally {
    await destroy(target, backend);
  }
}

/**
 * A backend with known contents to compare against after every rejected
 * call: `ready` holds two records, `waiting` is due (so a schedule or
 * maintenance that wrongly ran would move something).
 */
export class Seeded {
  readonly backend: Backend<unknown>;
  readonly #target: ConformanceTarget;
  readonly clock: { now: number };
  #before: { items: number | undefined; ready: TimelineInfo; waiting: TimelineInfo } | undefined;
  #dirty = false;

  private constructor(
    target: ConformanceTarget,
    backend: Backend<unknown>,
    clock: { now: number },
  ) {
    this.#target = target;
    this.backend = backend;
    this.clock = clock;
  }

  static readonly records: readonly TimelineRecord[] = [
    { key: 'b', value: { n: 2 }, timestamp: EPOCH - 1 },
    { key: 'a', value: 'one', timestamp: EPOCH - 2 },
  ];

  static async create(target: ConformanceTarget): Promise<Seeded> {
    const clock = { now: EPOCH };
    const backend = await target.create({
      minimumDelay: 100,
      incrementDelay: 0,
      clock: () => clock.now,
    });
    const seeded = new Seeded(target, backend, clock);
    await seeded.#seed();
    return seeded;
  }

  async #seed(): Promise<void> {
    const { backend, clock } = this;
    for (const key of ['ready', 'waiting', 'new']) await backend.delete(key);
    clock.now = EPOCH;
    await backend.add('waiting', { key: 'w', value: 1, timestamp: EPOCH });
    await backend.digest('waiting', () => undefined);
    await backend.add('waiting', { key: 'w2', value: 2, timestamp: EPOCH });
    for (const r of [...Seeded.records].reverse()) await backend.add('ready', r);
    clock.now += 1_000;
    this.#before = await this.#snapshot();
    expect(this.#before.waiting).toMatchObject({ state: 'waiting', size: 1 });
    expect(this.#before.ready).toMatchObject({ state: 'ready', size: 2 });
  }

  /**
   * Runs one fuzzed input. After an input that failed (and may have written
   * something), the seed is rebuilt first, so that shrinking sees a clean
   * store and reports the input that really fails.
   */
  async run(body: () => Promise<void>): Promise<void> {
    if (this.#dirty) await this.#seed();
    this.#dirty = true;
    await body();
    this.#dirty = false;
  }

  async #snapshot() {
    return {
      items:
        this.#target.storedItems === false
          ? undefined
          : await storedItemsOf(this.#target, this.backend),
      ready: strip(await this.backend.inspect('ready')),
      waiting: strip(await this.backend.inspect('waiting')),
    };
  }

  /** Asserts nothing changed since the seed: stored items, both timelines. */
  async expectUnchanged(what: string): Promise<void> {
    expect(await this.#snapshot(), `after ${what}`).toEqual(this.#before);
  }

  /** The seeded records are still there, whole, and the lease is free. */
  async expectSeedIntact(): Promise<void> {
    expect(await this.backend.digest('ready', (records) => [...records])).toEqual(Seeded.records);
  }

  async destroy(): Promise<void> {
    await destroy(this.#target, this.backend);
  }
}

/** Runs `fn` on a freshly seeded store, then checks the seed survived and destroys it. */
export async function withSeeded(target: ConformanceTarget, fn: (s: Seeded) => Promise<void>) {
  const seeded = await Seeded.create(target);
  try {
    await fn(seeded);
    await seeded.expectSeedIntact();
  } finally {
    await seeded.destroy();
  }
}
