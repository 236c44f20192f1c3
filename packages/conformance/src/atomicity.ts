import { expect } from 'vitest';
import { collect, type Harness, info, keysOf, makeWaiting, record, take } from './harness.js';

/** Contract add.9 and schedule.2: each add, and each schedule transition, is one atomic step. */
export function atomicityCases(h: Harness): void {
  h.case('add.9', 'concurrent adds to a waiting key each apply the backoff once', async () => {
    const backend = await h.backend({ minimumDelay: 100, incrementDelay: 10, maximumDelay: 1e9 });
    const L = h.now;
    await backend.add('k', record('a', L));
    await take(backend, 'k');
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => backend.add('k', record(`r${i}`, L + i))),
    );
    expect(results.every((first) => first === false)).toBe(true);
    // A lost update (two adds reading the same score) would leave less than 40 increments.
    expect(await info(backend, 'k')).toEqual({
      state: 'waiting',
      score: L + 100 + 40 * 10,
      size: 40,
      lastProcessed: L,
    });
  });

  h.case('add.9', 'concurrent adds crossing flushThreshold: exactly one returns true', async () => {
    const backend = await h.backend({ flushThreshold: 10 });
    await makeWaiting(backend, 'k', h.now + 1e6);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => backend.add('k', record(`r${i}`, h.now))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 31 });
  });

  h.case(
    'add.9',
    'a record and its schedule appear together: never held while absent',
    async () => {
      const backend = await h.backend();
      const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
      const seen = await Promise.all(
        keys.flatMap((key) => [
          backend.add(key, record('a', h.now)).then(() => undefined),
          backend.inspect(key),
          backend.inspect(key),
        ]),
      );
      for (const view of seen) {
        if (view === undefined) continue;
        // Either before the add (absent, empty) or after it (ready, one record).
        expect(view.size === 0 ? view.state : `${view.state}/${view.size}`).toMatch(
          /^(absent|ready\/1)$/,
        );
      }
    },
  );

  h.case(
    'schedule.2',
    'concurrent schedulers and flushes: each key is made ready once',
    async () => {
      const backend = await h.backend();
      const keys = Array.from({ length: 40 }, (_, i) => `key:${i}`);
      for (const [i, key] of keys.entries()) await makeWaiting(backend, key, h.now - 1_000 + i);
      h.advance(1);
      const flushes = keys.filter((_, i) => i % 3 === 0).map((key) => backend.flush(key));
      const [first, second] = await Promise.all([
        collect(backend.schedule(h.now, { chunkSize: 3 })),
        collect(backend.schedule(h.now, { chunkSize: 5 })),
        Promise.all(flushes),
      ]);
      const yielded = [...first, ...second];
      const byKey = new Map(yielded.map((entry) => [entry.key, entry.timestamp]));
      expect(byKey.size, 'no key yielded twice').toBe(yielded.length);
      for (const [i, key] of keys.entries()) {
        const view = await info(backend, key);
        expect(view.state).toBe('ready');
        if (byKey.has(key)) {
          // Claimed by a scheduler: it kept its score, and a later flush changed nothing.
          expect(byKey.get(key)).toBe(h.now - 1_001 + i);
          expect(view.score).toBe(h.now - 1_001 + i);
        } else {
          // Flushed first: ready now, and no scheduler yielded it.
          expect(i % 3, `${key} was neither yielded nor flushed`).toBe(0);
          expect(view.score).toBe(h.now);
        }
      }
    },
  );

  h.case(
    'schedule.2',
    'schedulers racing maintenance yield a key once per transition',
    async () => {
      const backend = await h.backend();
      const keys = Array.from({ length: 30 }, (_, i) => `key:${i}`);
      for (const [i, key] of keys.entries()) await makeWaiting(backend, key, h.now + i);
      const deadline = h.now + 1_000;
      const yielded: string[] = [];
      let movedBack = 0;
      const rounds: Promise<unknown>[] = [];
      for (let round = 0; round < 3; round++) {
        rounds.push(
          collect(backend.schedule(deadline, { chunkSize: 4 })).then((entries) =>
            yielded.push(...keysOf(entries)),
          ),
          backend.maintenance(deadline).then((moved) => {
            movedBack += moved;
          }),
        );
      }
      await Promise.all(rounds);
      // Whatever the interleaving, draining once more leaves every key ready.
      yielded.push(...keysOf(await collect(backend.schedule(deadline))));
      const counts = new Map<string, number>();
      for (const key of yielded) counts.set(key, (counts.get(key) ?? 0) + 1);
      for (const key of keys) {
        expect(await info(backend, key)).toMatchObject({ state: 'ready' });
        expect(counts.get(key) ?? 0, key).toBeGreaterThanOrEqual(1);
      }
      // Each yield is exactly one waiting → ready transition: one per key, plus
      // one per key that maintenance moved back to waiting.
      expect(yielded.length).toBe(keys.length + movedBack);
    },
  );
}
