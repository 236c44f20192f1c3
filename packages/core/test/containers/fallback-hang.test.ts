import type { Backend } from '@digests/core';
import { FallbackBackend, StoreBackend } from '@digests/core';
import { FaultyStore } from '@digests/core/testing';
import { MemoryBackend, MemoryStore } from '@digests/memory';
import { describe, expect, it } from 'vitest';
import { drain, rec, T0 } from './helpers.js';

/** The primary's own operation timeout: what gets a caller out of a hung store. */
const OPERATION_TIMEOUT = 200;
/** Timer and scheduling slack on a loaded machine. */
const MARGIN = 300;

function setup(retryPrimaryAfter?: number) {
  const store = new FaultyStore(new MemoryStore());
  const options = { clock: () => T0, minimumDelay: 0, incrementDelay: 0 };
  const primary = new StoreBackend(store, { ...options, operationTimeout: OPERATION_TIMEOUT });
  const secondary = new MemoryBackend(options);
  const fallback = new FallbackBackend({
    primary,
    secondary,
    ...(retryPrimaryAfter === undefined ? {} : { retryPrimaryAfter }),
  });
  return { store, primary, secondary, fallback };
}

/** Runs `adds` and resolves each one's latency in ms. */
async function timedAdds(backend: Backend, keys: readonly string[]): Promise<number[]> {
  return Promise.all(
    keys.map(async (id) => {
      const started = performance.now();
      await backend.add('k', rec(id));
      return performance.now() - started;
    }),
  );
}

describe('FallbackBackend whose primary hangs', () => {
  it(`writes the secondary within operationTimeout (${OPERATION_TIMEOUT} ms) plus a margin; nothing is lost when the primary resumes`, async () => {
    const { store, primary, secondary, fallback } = setup();
    store.hanging = true;
    const latencies: number[] = [];
    // One at a time, then twenty at once.
    for (let i = 0; i < 5; i++) latencies.push(...(await timedAdds(fallback, [`seq${i}`])));
    const burst = Array.from({ length: 20 }, (_, i) => `burst${i}`);
    latencies.push(...(await timedAdds(fallback, burst)));
    const longest = Math.max(...latencies);
    console.info(
      `primary hung: ${latencies.length} adds, longest ${longest.toFixed(0)} ms (operationTimeout ${OPERATION_TIMEOUT} ms)`,
    );
    expect(longest).toBeLessThan(OPERATION_TIMEOUT + MARGIN);
    expect(store.hangs('add')).toBe(25);
    expect((await secondary.inspect('k')).size).toBe(25);

    // The store answers again: the hung adds land in the primary late, as a
    // resumed server would apply them. Records are keyed, so the merged
    // digest still hands each one over once.
    store.heal();
    await new Promise((resolve) => setImmediate(resolve));
    expect((await primary.inspect('k')).size).toBe(25);
    const delivered: string[] = [];
    await drain(fallback, T0, delivered);
    expect(delivered.sort()).toEqual(
      [...Array.from({ length: 5 }, (_, i) => `k/seq${i}`), ...burst.map((id) => `k/${id}`)].sort(),
    );
    expect((await primary.inspect('k')).size).toBe(0);
    expect((await secondary.inspect('k')).size).toBe(0);
  });

  it('with retryPrimaryAfter, only the first add waits for the timeout', async () => {
    const { store, fallback } = setup(60_000);
    store.hanging = true;
    const [first] = await timedAdds(fallback, ['first']);
    const rest = await timedAdds(
      fallback,
      Array.from({ length: 10 }, (_, i) => `then${i}`),
    );
    expect(first).toBeGreaterThanOrEqual(OPERATION_TIMEOUT - 5);
    expect(Math.max(...rest)).toBeLessThan(MARGIN);
    expect(store.hangs('add')).toBe(1);
    store.heal();
  });
});
