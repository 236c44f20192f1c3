import type { Backend } from '@digests/core';

/** The shape of a throughput run. */
export interface ThroughputShape {
  /** Records added in total. Default 5000. */
  readonly records?: number;
  /** Timelines they are spread over. Default 500. */
  readonly keys?: number;
  /** Operations in flight at once. Default 8. */
  readonly concurrency?: number;
}

/** What {@link measureThroughput} saw. */
export interface Throughput {
  readonly adds: number;
  readonly addsPerSecond: number;
  readonly digests: number;
  readonly digestsPerSecond: number;
  readonly recordsDelivered: number;
}

async function inParallel(count: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

/**
 * Adds `records` records over `keys` timelines, then digests every timeline,
 * `concurrency` operations at a time, and reports the rates. The backend
 * should be empty and use the real clock.
 *
 * @example
 * ```ts
 * const { addsPerSecond, digestsPerSecond } = await measureThroughput(backend, { records: 10_000 });
 * ```
 */
export async function measureThroughput(
  backend: Backend<unknown>,
  shape: ThroughputShape = {},
): Promise<Throughput> {
  const { records = 5000, keys = 500, concurrency = 8 } = shape;
  const started = performance.now();
  await inParallel(records, concurrency, async (i) => {
    await backend.add(`measure:${i % keys}`, {
      key: `event-${i}`,
      value: { i, text: 'something happened' },
      timestamp: Date.now(),
    });
  });
  const added = performance.now();
  let delivered = 0;
  await inParallel(keys, concurrency, async (k) => {
    const count = await backend.digest(`measure:${k}`, (batch) => batch.length);
    delivered += count;
  });
  const digested = performance.now();
  return {
    adds: records,
    addsPerSecond: Math.round(records / ((added - started) / 1000)),
    digests: keys,
    digestsPerSecond: Math.round(keys / ((digested - added) / 1000)),
    recordsDelivered: delivered,
  };
}
