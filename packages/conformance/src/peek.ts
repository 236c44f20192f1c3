import { type Backend, ConfigurationError, hasPeek, type PeekSource } from '@digests/core';
import { expect } from 'vitest';
import { failDigest, type Harness, info, keysOf, record, take } from './harness.js';
import { POISON, PoisonCodec } from './poison-codec.js';

/** The backend's `peek`, failing the case when it has none. */
function peekOf(backend: Backend<unknown>): Backend<unknown> & PeekSource<unknown> {
  if (!hasPeek(backend)) throw new Error('this backend has no peek(key, options)');
  return backend;
}

/** Every record of `key`, page by page, as `key@where` strings. */
async function peekAll(backend: Backend<unknown>, key: string, limit: number): Promise<string[]> {
  const peeking = peekOf(backend);
  const seen: string[] = [];
  let page = await peeking.peek(key, { limit });
  for (let pages = 0; ; pages++) {
    expect(page.records.length).toBeLessThanOrEqual(limit);
    seen.push(...page.records.map((r) => `${r.key}@${r.inSnapshot ? 'snapshot' : 'timeline'}`));
    if (page.next === undefined || pages > 1000) break;
    page = await peeking.peek(key, { limit, after: page.next });
  }
  return seen;
}

/** Contract peek.1–2: read a timeline's pending records without digesting. */
export function peekCases(h: Harness): void {
  h.case(
    'peek.1',
    'records newest first, ties by record key descending, values decoded',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('b', h.now, { n: 1 }));
      await backend.add('k', record('a', h.now, { n: 2 }));
      await backend.add('k', record('c', h.now - 5, { n: 3 }));
      await backend.add('k', record('d', h.now + 5, { n: 4 }));
      const page = await peekOf(backend).peek('k');
      expect(page.next).toBeUndefined();
      expect(page.records).toEqual([
        { key: 'd', timestamp: h.now + 5, value: { n: 4 }, inSnapshot: false },
        { key: 'b', timestamp: h.now, value: { n: 1 }, inSnapshot: false },
        { key: 'a', timestamp: h.now, value: { n: 2 }, inSnapshot: false },
        { key: 'c', timestamp: h.now - 5, value: { n: 3 }, inSnapshot: false },
      ]);
      expect((await peekOf(backend).peek('absent')).records).toEqual([]);
    },
  );

  h.case(
    'peek.1',
    'a left-over snapshot shows, marked, after a timeline record of the same key',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('x', h.now - 1));
      await backend.add('k', record('y', h.now - 2));
      await failDigest(backend, 'k');
      await backend.add('k', record('x', h.now - 1, 'again'));
      await backend.add('k', record('z', h.now));
      expect(await peekAll(backend, 'k', 100)).toEqual([
        'z@timeline',
        'x@timeline',
        'x@snapshot',
        'y@snapshot',
      ]);
    },
  );

  h.case(
    'peek.1',
    'changes nothing: state, score, size and the next digest are as before',
    async () => {
      const backend = await h.backend();
      for (let i = 0; i < 5; i++) await backend.add('k', record(`r${i}`, h.now - i));
      const before = await info(backend, 'k');
      const items = await h.storedItems(backend);
      await peekAll(backend, 'k', 2);
      expect(await info(backend, 'k')).toEqual(before);
      await h.expectStoredItems(backend, items);
      expect(keysOf(await take(backend, 'k'))).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    },
  );

  h.case('peek.1', 'a value the codec cannot decode is shown raw, never dropped', async () => {
    const backend = await h.backend({ codec: new PoisonCodec() });
    await backend.add('k', record('good', h.now, { ok: true }));
    await backend.add('k', record('bad', h.now - 1, POISON));
    const { records } = await peekOf(backend).peek('k');
    expect(records.map((r) => r.key)).toEqual(['good', 'bad']);
    expect(records[0]).toMatchObject({ value: { ok: true } });
    expect(records[1]?.value).toBeUndefined();
    expect(records[1]?.raw).toBeDefined();
  });

  h.case('peek.2', 'pages follow each other with no gap and no repeat, ties included', async () => {
    const backend = await h.backend();
    const keys: string[] = [];
    for (let i = 0; i < 23; i++) {
      const key = `r${String(i).padStart(2, '0')}`;
      keys.push(key);
      await backend.add('k', record(key, h.now - (i % 4)));
    }
    await failDigest(backend, 'k');
    await backend.add('k', record('r05', h.now + 1));
    const all = await peekAll(backend, 'k', 1000);
    expect(all).toHaveLength(24);
    for (const limit of [1, 3, 7]) expect(await peekAll(backend, 'k', limit)).toEqual(all);
  });

  h.case('peek.2', 'a bad limit or cursor rejects ConfigurationError', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now));
    const peeking = peekOf(backend);
    for (const limit of [0, -1, 1.5, 1001]) {
      await expect(peeking.peek('k', { limit })).rejects.toBeInstanceOf(ConfigurationError);
    }
    await expect(peeking.peek('k', { after: 'not a cursor' })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
  });
}
