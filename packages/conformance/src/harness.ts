import type {
  Backend,
  BackendOptions,
  ScheduleEntry,
  TimelineInfo,
  TimelineRecord,
} from '@digests/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CaseName, RuleId } from './rules.js';
import { type ConformanceTarget, countsStoredItems, storedItemsOf } from './target.js';

/** A moment far from zero, so scores never collide with small offsets. */
export const EPOCH = 1_700_000_000_000;

/**
 * How long one case may run unless it says otherwise (ms of real time).
 *
 * @example
 * ```ts
 * h.case('lease.1', 'the lease is renewed while fn runs', body, CASE_TIME_BOUND);
 * ```
 */
export const CASE_TIME_BOUND = 20_000;

/**
 * What every conformance case gets: a fake clock, fresh backends that are
 * destroyed after the case, a real-time bound, and small helpers. Cases
 * never sleep to move time.
 */
export class Harness {
  readonly target: ConformanceTarget;
  /** The fake "now"; every backend the harness builds reads it. */
  now = EPOCH;
  /** Real time (ms since the epoch) after which the running case has failed. */
  deadline = Number.POSITIVE_INFINITY;
  #created: Backend<unknown>[] = [];
  readonly #registered = new Set<string>();

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

  /** Every case name registered so far (to check `skip` lists against). */
  get registered(): ReadonlySet<string> {
    return this.#registered;
  }

  /**
   * Registers a case titled `rule: title`, unless the target skips it. The
   * case fails — never hangs — once `timeout` ms of real time have passed:
   * its body is raced against a timer, and loops in cases check
   * {@link Harness.expired} and yield to timers.
   */
  case(rule: RuleId, title: string, fn: () => Promise<void>, timeout = CASE_TIME_BOUND): void {
    const name: CaseName = `${rule}: ${title}`;
    this.#registered.add(name);
    const skipped = this.target.skip?.includes(name) ?? false;
    it.skipIf(skipped)(name, () => this.#bounded(name, fn, timeout), timeout + 5_000);
  }

  async #bounded(name: string, fn: () => Promise<void>, timeout: number): Promise<void> {
    this.deadline = Date.now() + timeout;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`"${name}" did not finish within its bound of ${timeout} ms`)),
        timeout,
      );
    });
    try {
      await Promise.race([fn(), expired]);
    } finally {
      clearTimeout(timer);
      this.deadline = Number.POSITIVE_INFINITY;
    }
  }

  /** Whether the running case is past its bound; loops stop when it is. */
  expired(): boolean {
    return Date.now() > this.deadline;
  }

  /**
   * Lets timers run (a macrotask turn), so that a loop of store calls that
   * resolve in microtasks cannot starve the case's time bound.
   */
  async yieldToTimers(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.expired()) throw new Error('the case ran past its time bound');
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

  /** Whether the "writes nothing" checks run (a notice is printed once when not). */
  get countsStoredItems(): boolean {
    return countsStoredItems(this.target);
  }

  /** What the store holds for `backend`, or `undefined` when the target cannot tell. */
  async storedItems(backend: Backend<unknown>): Promise<number | undefined> {
    return this.countsStoredItems ? storedItemsOf(this.target, backend) : undefined;
  }

  /** Asserts the store holds nothing for `backend`, when the target can tell. */
  async expectStoresNothing(backend: Backend<unknown>): Promise<void> {
    const items = await this.storedItems(backend);
    if (items !== undefined) expect(items, 'items the store holds').toBe(0);
  }

  /** Asserts the store holds exactly `items` for `backend`, when the target can tell. */
  async expectStoredItems(backend: Backend<unknown>, items: number | undefined): Promise<void> {
    if (items === undefined) return;
    expect(await this.storedItems(backend), 'items the store holds').toBe(items);
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
  options?: { minimumDelay?: number; limit?: number },
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
