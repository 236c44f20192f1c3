import { expect } from 'vitest';
import { failDigest, type Harness, keysOf, record, take } from './harness.js';

/** SPEC "add" with capacity: probabilistic truncation to the newest records. */
export function capacityCases(h: Harness): void {
  h.case(
    'add.8',
    'with truncationChance 1, every add trims to the newest capacity records',
    async () => {
      const backend = await h.backend({ capacity: 3, truncationChance: 1 });
      for (const offset of [5, 1, 4, 2, 3])
        await backend.add('k', record(`t${offset}`, h.now + offset));
      expect((await backend.inspect('k')).size).toBe(3);
      expect(keysOf(await take(backend, 'k'))).toEqual(['t5', 't4', 't3']);
    },
  );

  h.case(
    'add.8',
    'with truncationChance 0, adds never trim but the digest takes only capacity',
    async () => {
      const backend = await h.backend({ capacity: 3, truncationChance: 0 });
      for (let i = 0; i < 5; i++) await backend.add('k', record(`t${i}`, h.now + i));
      expect((await backend.inspect('k')).size).toBe(5);
      expect(keysOf(await take(backend, 'k'))).toEqual(['t4', 't3', 't2']);
      expect((await backend.inspect('k')).size).toBe(0);
    },
  );

  h.case(
    'add.8',
    'the default truncationChance is 1/capacity (capacity 1 always trims)',
    async () => {
      const backend = await h.backend({ capacity: 1 });
      for (let i = 0; i < 4; i++) await backend.add('k', record(`t${i}`, h.now + i));
      expect((await backend.inspect('k')).size).toBe(1);
      expect(keysOf(await take(backend, 'k'))).toEqual(['t3']);
    },
  );

  h.case('add.8', 'truncation trims the timeline, never a left-over snapshot', async () => {
    const backend = await h.backend({ capacity: 2, truncationChance: 1 });
    await backend.add('k', record('a', h.now));
    await backend.add('k', record('b', h.now + 1));
    await failDigest(backend, 'k');
    await backend.add('k', record('c', h.now + 2));
    await backend.add('k', record('d', h.now + 3));
    await backend.add('k', record('e', h.now + 4));
    expect((await backend.inspect('k')).size).toBe(4);
    expect(keysOf(await take(backend, 'k'))).toEqual(['e', 'd']);
  });

  h.case('add.8', 'without capacity, a timeline keeps every record', async () => {
    const backend = await h.backend();
    for (let i = 0; i < 300; i++) await backend.add('k', record(`r${i}`, h.now + i));
    expect((await backend.inspect('k')).size).toBe(300);
  });
}
