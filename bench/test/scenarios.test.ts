/**
 * The issue-15 scenarios at tiny sizes, on every store this machine has:
 * counts only, no timing asserted. The digest floor hands over and removes
 * every row it was given; ours delivers every record; the end-to-end run
 * delivers every record through `DigestWorker`; the memory floor measures
 * both sides. With `CI` set (to anything non-empty) a missing server fails;
 * elsewhere its store is left out with a message.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/measure.js';
import { digestChecks } from '../src/report-digest.js';
import { digestFloor } from '../src/scenarios/digest-floor.js';
import { endToEnd } from '../src/scenarios/end-to-end.js';
import { memoryFloor } from '../src/scenarios/memory-floor.js';
import { openStore, reachable, STORE_NAMES, type StoreName } from '../src/stores.js';

async function available(): Promise<StoreName[]> {
  const out: StoreName[] = [];
  for (const name of STORE_NAMES) {
    const problem = await reachable(name);
    if (problem === undefined) out.push(name);
    else if ((process.env.CI ?? '') !== '')
      throw new Error(`bench scenarios need ${name}: ${problem}`);
    else console.warn(`bench scenarios: leaving out ${name} — ${problem}`);
  }
  return out;
}

describe('bench scenarios at tiny sizes', () => {
  it('digest floor: ours delivers every record, the floor hands over and removes every row', async () => {
    for (const name of await available()) {
      const clock = new ManualClock();
      const store = await openStore(name, { clock: clock.read, concurrency: 4 });
      try {
        const result = await digestFloor(store, clock, {
          size: 50,
          reps: 3,
          timelines: 4,
          rounds: 2,
          concurrency: 4,
        });
        const expected = 3 * 50 + 2 * 4 * 50;
        expect(result.delivered.ours, name).toBe(expected);
        expect(result.inFlight.ours.count, name).toBe(2 * 4 * 50);
        if (name === 'memory') {
          expect(result.single.floor).toBeUndefined();
        } else {
          expect(result.delivered.floor, name).toBe(expected);
          expect(result.floorLeft, name).toBe(0);
        }
        expect(digestChecks([result]).every((c) => c.met)).toBe(true);
        expect(await store.leftover(), `${name}: ours left keys or rows`).toBe(0);
      } finally {
        await store.cleanup();
      }
    }
  }, 120_000);

  it('end to end: DigestWorker delivers every record', async () => {
    for (const name of await available()) {
      const result = await endToEnd(name, {
        records: 300,
        keys: 30,
        concurrency: 4,
        bullmqConcurrency: [4],
        warmUp: 50,
      });
      expect(result.delivered, name).toBe(300);
      if (name === 'redis') expect(result.bullmq?.[0]?.jobs.count).toBe(300);
      else if (name !== 'memory') expect(result.raw?.add.count, name).toBe(300);
    }
  }, 180_000);

  it('memory floor: both sides add every record', async () => {
    const clock = new ManualClock();
    const store = await openStore('memory', { clock: clock.read, concurrency: 4 });
    try {
      const result = await memoryFloor(store, {
        records: 1000,
        timelines: 10,
        concurrency: 4,
        rounds: 2,
      });
      expect(result.ours.count).toBe(2000);
      expect(result.floor.count).toBe(2000);
      expect(await store.leftover()).toBe(0);
    } finally {
      await store.cleanup();
    }
  });
});
