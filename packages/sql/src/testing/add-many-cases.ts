import {
  type AddEntry,
  type AddOptions,
  type Backend,
  type BackendOptions,
  CodecError,
  DigestsError,
} from '@digests/core';
import { expect, it } from 'vitest';
import type { SqlBackend } from '../sql-backend.js';
import type { SqlAdapterTarget } from './target.js';

const T = 1_700_000_000_000;

/** What {@link addManyCases} compares a store with. */
export interface AddManyReference {
  /** A fresh reference backend (a `MemoryBackend`) with these options. */
  create(options: BackendOptions<unknown>): Backend<unknown>;
  /** Option sets the parity case runs with (e.g. `ttl` only where the store supports it). */
  readonly optionSets: ReadonlyArray<readonly [string, BackendOptions<unknown>]>;
}

/** A small deterministic generator (mulberry32), so a failure is reproducible. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const KEYS = Array.from({ length: 12 }, (_, i) => `mail:p:${i}`);

function roundEntries(next: () => number, now: number, size: number): AddEntry<unknown>[] {
  return Array.from({ length: size }, () => {
    const key = KEYS[Math.floor(next() * KEYS.length)]!;
    // Few record keys: replacing a stored record happens often.
    const recordKey = `r${Math.floor(next() * 30)}`;
    return {
      key,
      record: {
        key: recordKey,
        value: { n: Math.floor(next() * 1000) },
        timestamp: now - 50 + next() * 100,
      },
    };
  });
}

async function digestAll(backend: Backend<unknown>, key: string): Promise<unknown> {
  try {
    return { ok: await backend.digest(key, (records) => records.map((r) => ({ ...r }))) };
  } catch (error) {
    return { error: error instanceof DigestsError ? error.code : String(error) };
  }
}

/**
 * Native `addMany` cases every SQL adapter runs: a batch resolves and stores
 * what the reference backend's `add` does one entry at a time; a value the
 * codec rejects writes nothing (read in the tables); concurrent writers
 * sending overlapping batches in different orders store every record and
 * see no error.
 *
 * @example
 * ```ts
 * addManyCases(sqliteTarget(), { create: (o) => new MemoryBackend(o), optionSets: [['default', {}]] });
 * ```
 */
export function addManyCases(target: SqlAdapterTarget, reference: AddManyReference): void {
  it.each(reference.optionSets.map(([name, options]) => [name, options] as const))(
    'addMany matches MemoryBackend.add entry by entry (results, inspect, digests): %s',
    async (_, options) => {
      let now = T;
      const clock = () => now;
      const next = random(7);
      const memory = reference.create({ ...options, clock });
      const backend = await target.create({ ...options, clock });
      // The last round crosses a chunk boundary (several store calls).
      const sizes = [1, 5, 40, 120, 3, 1_500];
      for (const [round, size] of sizes.entries()) {
        const entries = roundEntries(next, now, size);
        const addOptions: AddOptions | undefined =
          round % 2 === 1 ? { incrementDelay: 20 + round, maximumDelay: 400 } : undefined;
        const expected: boolean[] = [];
        for (const { key, record } of entries)
          expected.push(await memory.add(key, record, addOptions));
        expect(await backend.addMany(entries, addOptions)).toEqual(expected);
        for (const key of KEYS)
          expect(await backend.inspect(key)).toEqual(await memory.inspect(key));
        now += 150 + Math.floor(next() * 300);
        for (const key of KEYS.filter((_, i) => (i + round) % 3 === 0)) {
          expect(await digestAll(backend, key)).toEqual(await digestAll(memory, key));
        }
      }
      for (const key of KEYS) {
        expect(await backend.inspect(key)).toEqual(await memory.inspect(key));
        expect(await digestAll(backend, key)).toEqual(await digestAll(memory, key));
      }
    },
    120_000,
  );

  it('a value the codec rejects in the middle of a batch writes nothing to the tables', async () => {
    const backend = await target.create({});
    await backend.migrate();
    const entries: AddEntry<unknown>[] = Array.from({ length: 50 }, (_, i) => ({
      key: `mail:p:${i}`,
      record: { key: `r${i}`, value: i === 20 ? { big: 10n } : { i }, timestamp: T + i },
    }));
    await expect(backend.addMany(entries)).rejects.toBeInstanceOf(CodecError);
    const db = await target.tables(backend);
    const count = async (table: 'timelines' | 'records') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('timelines')).toBe(0);
    expect(await count('records')).toBe(0);
  });

  it('4 writers sending overlapping batches over 50 timelines in different orders store every record', async () => {
    const tablePrefix = 'many_writers_';
    const first = await target.create({ tablePrefix });
    await first.migrate();
    const writers: SqlBackend<unknown>[] = [first];
    for (let w = 1; w < 4; w++) writers.push(await target.sibling(first, { tablePrefix }));
    // Each writer's own migration check first: it is not what this case measures.
    for (const writer of writers) await writer.migrate();
    const keys = Array.from({ length: 50 }, (_, i) => `mail:p:${i}`);
    const orders = [
      keys,
      [...keys].reverse(),
      keys.map((_, i) => keys[(i * 7) % 50]!),
      keys.map((_, i) => keys[(i * 13 + 5) % 50]!),
    ];
    const errors: unknown[] = [];
    await Promise.all(
      writers.map(async (backend, w) => {
        for (let batch = 0; batch < 8; batch++) {
          // Two records per timeline per batch, the timelines in this writer's order.
          const entries = [...orders[w]!, ...orders[w]!].map((key, i) => ({
            key,
            record: { key: `w${w}-b${batch}-${i}`, value: { w, batch, i }, timestamp: T + i },
          }));
          try {
            await backend.addMany(entries);
          } catch (error) {
            errors.push(error);
          }
        }
      }),
    );
    expect(errors.map((e) => (e instanceof DigestsError ? e.code : String(e)))).toEqual([]);
    // 4 writers × 8 batches × 100 entries, 2 per timeline per batch: 64 per timeline.
    for (const key of keys) expect((await first.inspect(key)).size).toBe(64);
    expect(await first.storedRows()).toBe(50 + 4 * 8 * 100);
  }, 120_000);
}
