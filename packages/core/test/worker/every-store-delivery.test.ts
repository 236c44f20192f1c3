import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/index.js';
import { DigestWorker } from '../../src/worker/digest-worker.js';
import { type StoreTarget, storeTargets } from './store-targets.js';

const targets = await storeTargets();
for (const { name, missing } of targets) {
  if (missing !== undefined) console.warn(`worker end-to-end: skipping ${name}: ${missing}`);
}

/** Small real delays: keys cycle absent → ready → waiting → absent many times. */
const DELAYS = { minimumDelay: 60, incrementDelay: 10, maximumDelay: 200 } as const;
const RECORDS = 600;
const KEYS = 30;
const PRODUCERS = 4;
/** After the last add, every record must be delivered within this long. */
const BOUND_MS = 4_000;

/** A bounded real wait: the worker runs on real timers here. */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.each(targets.filter((target) => target.missing === undefined))(
  'DigestWorker end to end on $name',
  (target: StoreTarget) => {
    afterAll(() => target.close());

    it(`delivers every record within ${BOUND_MS} ms of the last add, leaving no key ready`, async () => {
      const backend: Backend<string> = await target.open(DELAYS);
      const delivered = new Map<string, number>();
      const worker = new DigestWorker<string>({
        backend,
        interval: 20,
        concurrency: 4,
        // Maintenance must not be what rescues a key: far beyond the test.
        maintenanceAge: 600_000,
        deliver: ({ records }) => {
          for (const { key } of records) delivered.set(key, (delivered.get(key) ?? 0) + 1);
        },
      });
      worker.start();
      const added: string[] = [];
      await Promise.all(
        Array.from({ length: PRODUCERS }, async (_, producer) => {
          for (let i = producer; i < RECORDS; i += PRODUCERS) {
            const id = `r${i}`;
            added.push(id);
            await worker.add(`k${(i * 7) % KEYS}`, { key: id, value: id, timestamp: Date.now() });
            // Spread the adds out so digests and adds interleave.
            if (i % 8 === producer) await pause(20);
          }
        }),
      );
      const lastAdd = Date.now();
      while (delivered.size < added.length && Date.now() - lastAdd < BOUND_MS) await pause(10);
      const took = Date.now() - lastAdd;
      await worker.stop();
      console.info(
        `worker end-to-end on ${target.name}: all delivered ${took} ms after the last add`,
      );

      const lost = added.filter((id) => !delivered.has(id));
      expect(lost).toEqual([]);
      expect(took).toBeLessThan(BOUND_MS);
      const keys = Array.from({ length: KEYS }, (_, k) => `k${k}`);
      const states = await Promise.all(keys.map((key) => backend.inspect(key)));
      expect(states.filter((info) => info.state === 'ready')).toEqual([]);
      expect(states.reduce((total, info) => total + info.size, 0)).toBe(0);
      expect(worker.counters.failures).toBe(0);
    }, 90_000);
  },
);
