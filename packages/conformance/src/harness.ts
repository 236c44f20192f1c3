import type {
  Backend,
  BackendOptions,
  ScheduleEntry,
  TimelineInfo,
  TimelineRecord,
} from '@digests/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ConformanceTarget } from './target.js';

/** A moment far from zero, so scores never collide with small offsets. */
export const EPOCH = 1_700_000_000_000;

/**
 * What every conformance case gets: a fake clock, fresh backends that are
 * destroyed after the case, and small helpers. Cases never sleep to move time.
 */
export class Harness {
  readonly target: ConformanceTarget;
  /** The fake "now"; every backend the harness builds reads it. */
  now = EPOCH;
  #created: Backend<unknown>[] = [];

  constructor(target: ConformanceTarget) {
    this.target = target;
    beforeEach(() => {
      this.now = EPOCH;
    });
    afterEach(async () => {
      const created = this.#created;
      this.#created = [];
      const destroy = this.target.destroy ?? ((backend: Backend<unknown>) => backend.close());
      await Promise.all(created.map((backend) => destroy(backend)));
    });
  }

  /** Registers a case titled `group: title`, unless the target skips it. */
  case(group: string, title: string, fn: () => Promise<void>, timeout?: number): void {
    const name = `${group}: ${title}`;
    const skipped = this.target.skip?.includes(name) ?? false;
    it.skipIf(skipped)(name, fn, timeout);
  }

  /** A fresh, empty backend driven by the fake clock. */
  async backend(options: BackendOptions<unknown> = {}): Promise<Backend<unknown>> {
    const backend = await this.target.create({ clock: () => this.now, ...options });
    this.#created.push(backend);
    return backend;
  }

  /** Moves the fake clock forward. */
  advance(ms: number): void {
    this.now += ms;
  }

  /** Asserts the store holds nothing for `backend`, when the target can tell. */
  async expectStoresNothing(backend: Backend<unknown>): Promise<void> {
    if (this.target.storedItems) expect(await this.target.storedItems(backend)).toBe(0);
  }
}

/** A record whose value defaults to its key. */
export function record(key: string, timestamp: number, value: unknown = key): TimelineRecord {
  return { key, value, timestamp };
}

/** Drains an async iterable into an array. */
export async function collect(entries: AsyncIterable<ScheduleEntry>): Promise<ScheduleEntry[]> {
  const all: ScheduleEntry[] = [];
  for await (const entry of entries) all.push(entry);
  return all;
}

/** Digests `key` successfully and returns the records `fn` was given. */
export async function take(
  backend: Backend<unknown>,
  key: string,
  options?: { minimumDelay?: number },
): Promise<TimelineRecord[]> {
  return backend.digest(key, (records) => [...records], options);
}

/** A digest whose function throws `error` (returned, for identity checks). */
export async function failDigest(backend: Backend<unknown>, key: string): Promise<Error> {
  const error = new Error('delivery failed');
  await expect(
    backend.digest(key, () => {
      throw error;
    }),
  ).rejects.toBe(error);
  return error;
}

/**
 * Puts `key` in the waiting state with score `score` without a digest (last
 * processed stays unknown): add a record at `score`, then maintenance.
 */
export async function makeWaiting(
  backend: Backend<unknown>,
  key: string,
  score: number,
): Promise<void> {
  await backend.add(key, record(`seed:${key}`, score));
  await backend.maintenance(score);
  const info = await backend.inspect(key);
  expect(info).toMatchObject({ state: 'waiting', score });
}

/** `inspect` without the optional fields that are `undefined`. */
export async function info(backend: Backend<unknown>, key: string): Promise<TimelineInfo> {
  const result = await backend.inspect(key);
  return Object.fromEntries(
    Object.entries(result).filter(([, value]) => value !== undefined),
  ) as unknown as TimelineInfo;
}

/** The record keys of `records`, in order. */
export function keysOf(records: readonly { readonly key: string }[]): string[] {
  return records.map((r) => r.key);
}

/** A promise with its resolver, for holding a digest open. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
