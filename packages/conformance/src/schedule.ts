import { expect } from 'vitest';
import { collect, type Harness, info, makeWaiting, record, take } from './harness.js';

/** SPEC "schedule": due waiting keys become ready, earliest first, once. */
export function scheduleCases(h: Harness): void {
  h.case(
    'schedule.1',
    'moves due waiting keys to ready, keeping the score, earliest first',
    async () => {
      const backend = await h.backend();
      const t = h.now;
      for (const [key, score] of [
        ['c', t + 300],
        ['a', t + 100],
        ['d', t + 400],
        ['b', t + 200],
      ] as const) {
        await makeWaiting(backend, key, score);
      }
      expect(await collect(backend.schedule(t + 300))).toEqual([
        { key: 'a', timestamp: t + 100 },
        { key: 'b', timestamp: t + 200 },
        { key: 'c', timestamp: t + 300 },
      ]);
      expect(await info(backend, 'b')).toMatchObject({ state: 'ready', score: t + 200 });
      expect(await info(backend, 'd')).toMatchObject({ state: 'waiting', score: t + 400 });
      expect(await collect(backend.schedule(t + 300))).toEqual([]);
    },
  );

  h.case('schedule.1', 'ready keys and keys not yet due are not yielded', async () => {
    const backend = await h.backend();
    await makeWaiting(backend, 'later', h.now + 1_000);
    await backend.add('ready', record('a', h.now - 1_000));
    expect(await collect(backend.schedule(h.now))).toEqual([]);
    expect((await backend.inspect('later')).state).toBe('waiting');
  });

  h.case('schedule.1', 'equal scores are yielded in key order (code points)', async () => {
    const backend = await h.backend();
    const keys = ['b', 'a', '😀', '\uffff', 'c'];
    await Promise.all(keys.map((key) => backend.add(key, record('r', h.now))));
    await backend.maintenance(h.now);
    const yielded = await collect(backend.schedule(h.now));
    expect(yielded.map((e) => e.key)).toEqual(['a', 'b', 'c', '\uffff', '😀']);
  });

  h.case('schedule.2', 'small chunks still yield every due key once, in order', async () => {
    const backend = await h.backend();
    for (let i = 0; i < 25; i++) await backend.add(`k${i}`, record('r', h.now + (i % 7) * 10 + i));
    await backend.maintenance(h.now + 10_000);
    const yielded = await collect(backend.schedule(h.now + 10_000, { chunkSize: 4 }));
    expect(yielded).toHaveLength(25);
    expect(new Set(yielded.map((e) => e.key)).size).toBe(25);
    const scores = yielded.map((e) => e.timestamp);
    expect(scores).toEqual([...scores].sort((x, y) => x - y));
  });

  h.case('schedule.2', 'concurrent schedulers never yield one transition twice', async () => {
    const backend = await h.backend();
    const keys = Array.from({ length: 120 }, (_, i) => `key:${i}`);
    await Promise.all(keys.map((key, i) => backend.add(key, record('r', h.now + i))));
    await backend.maintenance(h.now + 1_000);
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => collect(backend.schedule(h.now + 1_000, { chunkSize: 7 }))),
    );
    const all = runs.flat().map((e) => e.key);
    expect(all).toHaveLength(keys.length);
    expect(new Set(all)).toEqual(new Set(keys));
  });

  h.case('schedule.2', 'a key is yielded again only after a new transition', async () => {
    const backend = await h.backend({ minimumDelay: 100, incrementDelay: 0 });
    await backend.add('k', record('a', h.now));
    await take(backend, 'k');
    await backend.add('k', record('b', h.now));
    expect(await collect(backend.schedule(h.now + 99))).toEqual([]);
    expect(await collect(backend.schedule(h.now + 100))).toEqual([
      { key: 'k', timestamp: h.now + 100 },
    ]);
    expect(await collect(backend.schedule(h.now + 100))).toEqual([]);
    expect(await take(backend, 'k')).toEqual([record('b', h.now)]);
  });

  h.case('schedule.3', 'an infinite deadline moves every waiting key', async () => {
    const backend = await h.backend();
    await makeWaiting(backend, 'k', h.now + 1e12);
    expect(await backend.maintenance(Number.POSITIVE_INFINITY)).toBe(0);
    expect(await collect(backend.schedule(Number.POSITIVE_INFINITY))).toEqual([
      { key: 'k', timestamp: h.now + 1e12 },
    ]);
  });
}
