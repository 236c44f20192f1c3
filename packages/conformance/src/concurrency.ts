import type { Backend } from '@digests/core';
import { LeaseConflictError } from '@digests/core';
import { expect } from 'vitest';
import { collect, gate, type Harness, record } from './harness.js';

/** Delivers every ready key once (tolerating conflicts), returning the record keys seen. */
async function deliverRound(
  h: Harness,
  backend: Backend<unknown>,
  now: number,
  seen: string[],
): Promise<void> {
  // A store answering in microtasks must not starve the case's time bound.
  await h.yieldToTimers();
  for (const { key } of await collect(backend.schedule(now, { chunkSize: 16 }))) {
    await backend
      .digest(key, (records) => {
        for (const r of records) seen.push(`${key}/${r.key}`);
      })
      .catch((error: unknown) => {
        if (!(error instanceof LeaseConflictError)) throw error;
      });
  }
}

/** Many producers and consumers on one backend. */
export function concurrencyCases(h: Harness): void {
  h.case(
    'add.9',
    'concurrent adds to one key keep every record; exactly one returns true',
    async () => {
      const backend = await h.backend();
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => backend.add('k', record(`r${i}`, h.now + i))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await backend.inspect('k')).size).toBe(200);
    },
  );

  h.case('digest.1', 'concurrent digests of one key: one wins, the others conflict', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now));
    const hold = gate();
    let settled = 0;
    const attempts = Array.from({ length: 5 }, () =>
      backend
        .digest('k', async (records) => {
          await hold.promise;
          return records.length;
        })
        .finally(() => {
          settled++;
          if (settled === 4) hold.open();
        }),
    );
    const outcomes = await Promise.allSettled(attempts);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toEqual([{ status: 'fulfilled', value: 1 }]);
    expect(lost).toHaveLength(4);
    for (const o of lost)
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(LeaseConflictError);
  });

  h.case(
    'digest.6',
    'producers and digesters together deliver every record exactly once, leaving nothing',
    async () => {
      const backend = await h.backend({ minimumDelay: 0, incrementDelay: 0, maximumDelay: 0 });
      const keys = Array.from({ length: 12 }, (_, i) => `mail:p:${i}`);
      const expected: string[] = [];
      const seen: string[] = [];
      let producing = true;
      const producers = Array.from({ length: 4 }, async (_, p) => {
        await h.yieldToTimers();
        for (let i = 0; i < 40; i++) {
          const key = keys[(p * 7 + i) % keys.length]!;
          const id = `p${p}-${i}`;
          expected.push(`${key}/${id}`);
          if (await backend.add(key, record(id, h.now))) {
            await backend
              .digest(key, (records) => {
                for (const r of records) seen.push(`${key}/${r.key}`);
              })
              .catch((error: unknown) => {
                if (!(error instanceof LeaseConflictError)) throw error;
              });
          }
        }
      });
      const digesters = Array.from({ length: 3 }, async () => {
        while (producing) await deliverRound(h, backend, h.now, seen);
      });
      // A producer that throws must stop the digesters too, or they would spin forever.
      await Promise.all(producers).finally(() => {
        producing = false;
      });
      await Promise.all(digesters);
      for (let round = 0; round < 5; round++) {
        await backend.maintenance(h.now);
        await deliverRound(h, backend, h.now, seen);
      }
      expect([...seen].sort()).toEqual([...expected].sort());
      for (const key of keys) expect((await backend.inspect(key)).state).toBe('absent');
      await h.expectStoresNothing(backend);
    },
    120_000,
  );
}
