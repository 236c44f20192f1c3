import type { Backend } from '@digests/core';
import { newestFirst } from '@digests/core';
import { expect } from 'vitest';
import { type Harness, record, take } from './harness.js';

/** Adds `count` records to `key` with bounded concurrency. */
export async function fill(
  backend: Backend<unknown>,
  key: string,
  count: number,
  at: number,
  parallel = 64,
): Promise<void> {
  for (let start = 0; start < count; start += parallel) {
    const batch: Promise<boolean>[] = [];
    for (let i = start; i < Math.min(count, start + parallel); i++) {
      batch.push(backend.add(key, record(`record:${i}`, at + i, { i })));
    }
    await Promise.all(batch);
  }
}

/** Large timelines: the original Redis backend returned ~5939 of 8192. */
export function largeCases(h: Harness): void {
  h.case(
    'digest.4',
    'an 8192-record timeline digests all 8192, newest first',
    async () => {
      const backend = await h.backend();
      await fill(backend, 'big', 8192, h.now);
      expect((await backend.inspect('big')).size).toBe(8192);
      const records = await take(backend, 'big');
      expect(records).toHaveLength(8192);
      expect(new Set(records.map((r) => r.key)).size).toBe(8192);
      expect(records).toEqual([...records].sort(newestFirst));
      expect(records[0]).toEqual(record('record:8191', h.now + 8191, { i: 8191 }));
      expect((await backend.inspect('big')).size).toBe(0);
    },
    180_000,
  );
}
