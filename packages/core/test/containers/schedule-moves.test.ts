import { FallbackBackend, PolyBackend, StoreBackend } from '@digests/core';
import { FaultyStore } from '@digests/core/testing';
import { MemoryBackend, MemoryStore } from '@digests/memory';
import { describe, expect, it } from 'vitest';
import { rec, T0 } from './helpers.js';

function copies() {
  const options = { clock: () => T0, minimumDelay: 0 };
  return [new MemoryBackend(options), new MemoryBackend(options)] as const;
}

async function makeWaiting(backend: PolyBackend | FallbackBackend, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await backend.add(`key:${i}`, rec('seed', T0 + i));
    await backend.maintenance(T0 + i);
  }
}

describe('merged schedule and maintenance', () => {
  it('maintenance inside a poly schedule loop does not wait for that loop', async () => {
    const [a, b] = copies();
    const poly = new PolyBackend([a, b]);
    await makeWaiting(poly, 6);
    const yielded: string[] = [];
    let moved = 0;
    for await (const { key } of poly.schedule(T0 + 100, { chunkSize: 2 })) {
      yielded.push(key);
      // The gate is held only while the loop claims keys, never while it runs.
      if (yielded.length === 3) moved = await poly.maintenance(T0 + 100);
    }
    expect(moved).toBeGreaterThan(0);
    // Each key moved back by maintenance is due again and yielded once more.
    expect(yielded.length).toBe(6 + moved);
  });

  it('concurrent schedulers and maintenances keep the copies of a poly in step', async () => {
    const [a, b] = copies();
    const poly = new PolyBackend([a, b]);
    await makeWaiting(poly, 30);
    const runs: Promise<unknown>[] = [];
    for (let round = 0; round < 4; round++) {
      runs.push(
        (async () => {
          for await (const _ of poly.schedule(T0 + 100, { chunkSize: 3 })) {
            // drain
          }
        })(),
        poly.maintenance(T0 + 100),
      );
    }
    await Promise.all(runs);
    for (let i = 0; i < 30; i++) {
      expect(await a.inspect(`key:${i}`), `key:${i}`).toEqual(await b.inspect(`key:${i}`));
    }
  });

  it('maintenance waits while a schedule claims keys in the copies, so they move in step', async () => {
    const stores = [new FaultyStore(new MemoryStore()), new FaultyStore(new MemoryStore())];
    const [a, b] = stores.map((store) => new StoreBackend(store, { clock: () => T0 }));
    const poly = new PolyBackend([a!, b!]);
    await makeWaiting(poly, 4);
    // The second copy is slow to claim: its claim hangs until healed.
    stores[1]!.hangOn('claim', { times: 1 });
    const iterator = poly.schedule(T0 + 100, { chunkSize: 2 })[Symbol.asyncIterator]();
    const first = iterator.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(stores[0]!.calls('claim')).toBe(1); // the first copy claimed key:0 and key:1
    let maintained: number | undefined;
    const maintenance = poly.maintenance(T0 + 100).then((moved) => {
      maintained = moved;
    });
    await new Promise((resolve) => setImmediate(resolve));
    // Moving key:0 and key:1 back now would leave the copies out of step.
    expect(maintained).toBeUndefined();
    expect((await a!.inspect('key:0')).state).toBe('ready');
    stores[1]!.heal();
    await Promise.all([first, maintenance]);
    expect(maintained).toBe(2);
    for (let i = 0; i < 4; i++) {
      expect(await a!.inspect(`key:${i}`), `key:${i}`).toEqual(await b!.inspect(`key:${i}`));
    }
    await iterator.return?.();
  });

  it('a fallback merges its two schedules earliest first', async () => {
    const [a, b] = copies();
    const fallback = new FallbackBackend({ primary: a, secondary: b });
    for (const [backend, times] of [
      [a, [1, 4, 5]],
      [b, [2, 3, 6]],
    ] as const) {
      for (const t of times) {
        await backend.add(`t${t}`, rec('e', T0 + t));
        await backend.maintenance(T0 + t);
      }
    }
    const keys: string[] = [];
    for await (const { key } of fallback.schedule(T0 + 10, { chunkSize: 1 })) keys.push(key);
    expect(keys).toEqual(['t1', 't2', 't3', 't4', 't5', 't6']);
  });
});
