import type { Backend, ListEntry } from '@digests/core';
import { ConfigurationError } from '@digests/core';
import { expect } from 'vitest';
import { failDigest, type Harness, makeWaiting, record } from './harness.js';

/** Every entry of `list`, page by page. */
async function listAll(
  backend: Backend<unknown>,
  options: { state?: 'waiting' | 'ready'; limit?: number } = {},
): Promise<{ entries: ListEntry[]; pages: number }> {
  const entries: ListEntry[] = [];
  let pages = 0;
  let after: string | undefined;
  do {
    const page = await backend.list({ ...options, ...(after === undefined ? {} : { after }) });
    pages++;
    entries.push(...page.entries);
    after = page.next;
    if (pages > 1_000) throw new Error('list never ended');
  } while (after !== undefined);
  return { entries, pages };
}

/** Three waiting and three ready keys, scores chosen to interleave. */
async function mixed(h: Harness): Promise<Backend<unknown>> {
  const backend = await h.backend();
  const t = h.now;
  await makeWaiting(backend, 'w2', t + 20);
  await makeWaiting(backend, 'w1', t + 10);
  await makeWaiting(backend, 'w3', t + 20);
  await backend.add('r1', record('a', t + 15));
  await backend.add('r2', record('a', t + 5));
  await backend.add('r2', record('b', t + 6));
  await backend.add('r0', record('a', t + 20));
  return backend;
}

/** Contract list.1–2: keys by state in schedule order, page by page. */
export function listCases(h: Harness): void {
  h.case('list.1', 'lists every key in schedule order: score, then key', async () => {
    const backend = await mixed(h);
    const t = h.now;
    const { entries } = await listAll(backend);
    expect(entries).toEqual([
      { key: 'r2', state: 'ready', score: t + 5, size: 2 },
      { key: 'w1', state: 'waiting', score: t + 10, size: 1 },
      { key: 'r1', state: 'ready', score: t + 15, size: 1 },
      { key: 'r0', state: 'ready', score: t + 20, size: 1 },
      { key: 'w2', state: 'waiting', score: t + 20, size: 1 },
      { key: 'w3', state: 'waiting', score: t + 20, size: 1 },
    ]);
  });

  h.case('list.1', 'a state filter lists only that state, in order', async () => {
    const backend = await mixed(h);
    const waiting = (await listAll(backend, { state: 'waiting' })).entries;
    expect(waiting.map((e) => e.key)).toEqual(['w1', 'w2', 'w3']);
    const ready = (await listAll(backend, { state: 'ready' })).entries;
    expect(ready.map((e) => e.key)).toEqual(['r2', 'r1', 'r0']);
  });

  h.case('list.1', 'an empty backend lists nothing, with no next cursor', async () => {
    const backend = await h.backend();
    expect(await backend.list()).toEqual({ entries: [] });
    await h.expectStoresNothing(backend);
  });

  h.case(
    'list.1',
    'size counts the timeline plus a left-over snapshot; absent keys are not listed',
    async () => {
      const backend = await h.backend({ minimumDelay: 0 });
      await backend.add('k', record('a', h.now));
      await backend.add('k', record('b', h.now));
      await failDigest(backend, 'k');
      await backend.add('k', record('c', h.now));
      await backend.add('gone', record('a', h.now));
      await backend.delete('gone');
      expect((await backend.list()).entries).toEqual([
        { key: 'k', state: 'ready', score: h.now, size: 3 },
      ]);
    },
  );

  h.case(
    'list.2',
    'pages follow each other with no gap or repeat; next is absent on the last',
    async () => {
      const backend = await h.backend();
      const keys = Array.from({ length: 23 }, (_, i) => `key:${String(i).padStart(2, '0')}`);
      for (const [i, key] of keys.entries()) await backend.add(key, record('a', h.now + (i % 4)));
      const first = await backend.list({ limit: 5 });
      expect(first.entries).toHaveLength(5);
      expect(typeof first.next).toBe('string');
      const { entries, pages } = await listAll(backend, { limit: 5 });
      expect(pages).toBe(5);
      expect(entries.map((e) => e.key).sort()).toEqual(keys);
      const order = entries.map((e) => [e.score, e.key] as const);
      const sorted = [...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
      expect(order).toEqual(sorted);
      const exact = await backend.list({ limit: 23 });
      expect(exact.entries).toHaveLength(23);
      expect(exact).not.toHaveProperty('next');
    },
  );

  h.case('list.2', 'a page with a state filter carries the filter through its cursor', async () => {
    const backend = await mixed(h);
    const page1 = await backend.list({ state: 'waiting', limit: 2 });
    expect(page1.entries.map((e) => e.key)).toEqual(['w1', 'w2']);
    const page2 = await backend.list({ state: 'waiting', limit: 2, after: page1.next as string });
    expect(page2.entries.map((e) => e.key)).toEqual(['w3']);
    expect(page2.next).toBeUndefined();
  });

  h.case('list.2', 'the default page holds 100 entries', async () => {
    const backend = await h.backend();
    for (let i = 0; i < 101; i++) await backend.add(`k${i}`, record('a', h.now + i));
    const page = await backend.list();
    expect(page.entries).toHaveLength(100);
    expect(page.next).toBeDefined();
  });

  h.case(
    'list.2',
    'limits outside 1..10 000, bad states and bad cursors reject ConfigurationError',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('a', h.now));
      for (const limit of [0, -1, 1.5, 10_001, Number.NaN, '5']) {
        await expect(backend.list({ limit: limit as number })).rejects.toBeInstanceOf(
          ConfigurationError,
        );
      }
      expect((await backend.list({ limit: 10_000 })).entries).toHaveLength(1);
      await expect(backend.list({ state: 'absent' as 'ready' })).rejects.toBeInstanceOf(
        ConfigurationError,
      );
      for (const after of [
        '',
        'not a cursor',
        '%%%',
        Buffer.from('[1]').toString('base64url'),
        7,
      ]) {
        await expect(backend.list({ after: after as string })).rejects.toBeInstanceOf(
          ConfigurationError,
        );
      }
    },
  );
}
