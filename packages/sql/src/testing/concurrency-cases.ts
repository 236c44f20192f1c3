import { type Backend, DigestsError } from '@digests/core';
import { expect, it } from 'vitest';
import type { SqlAdapterTarget } from './target.js';

/** Sizes of the load test; the defaults are what the issue asks for. */
export interface LoadShape {
  readonly producers: number;
  readonly workers: number;
  readonly keys: number;
  readonly recordsPerProducer: number;
}

const DEFAULT_SHAPE: LoadShape = { producers: 4, workers: 8, keys: 1000, recordsPerProducer: 500 };

/**
 * Producers add while workers digest: keys an add made ready go to a queue,
 * keys a digest left waiting come back through `schedule`. Every record must
 * be delivered exactly once and no error at all may reach the caller
 * (no deadlock, no serialization failure, no conflict).
 */
export async function deliverUnderLoad(
  backends: () => Backend<unknown>,
  shape: LoadShape = DEFAULT_SHAPE,
): Promise<{ delivered: Map<string, number>; expected: string[]; errors: unknown[] }> {
  const delivered = new Map<string, number>();
  const expected: string[] = [];
  const errors: unknown[] = [];
  const ready: string[] = [];
  let producing = shape.producers;

  const deliver = (key: string) =>
    backends().digest(key, (records) => {
      for (const r of records)
        delivered.set(`${key}/${r.key}`, (delivered.get(`${key}/${r.key}`) ?? 0) + 1);
    });

  const producers = Array.from({ length: shape.producers }, async (_, p) => {
    for (let i = 0; i < shape.recordsPerProducer; i++) {
      const key = `k:${(p * 7919 + i * 31) % shape.keys}`;
      const id = `p${p}-${i}`;
      expected.push(`${key}/${id}`);
      try {
        if (await backends().add(key, { key: id, value: { p, i }, timestamp: Date.now() })) {
          ready.push(key);
        }
      } catch (error) {
        errors.push(error);
      }
    }
    producing--;
  });
  const workers = Array.from({ length: shape.workers }, async () => {
    for (let idle = 0; idle < 20; ) {
      const key = ready.shift();
      try {
        if (key !== undefined) {
          await deliver(key);
          idle = 0;
          continue;
        }
        let found = false;
        for await (const entry of backends().schedule(Date.now(), { chunkSize: 50 })) {
          found = true;
          await deliver(entry.key);
        }
        if (found) idle = 0;
        else if (producing === 0 && ready.length === 0) idle++;
        if (!found) await new Promise((resolve) => setTimeout(resolve, 5));
      } catch (error) {
        errors.push(error);
      }
    }
  });
  await Promise.all([...producers, ...workers]);
  return { delivered, expected, errors };
}

/** The load test: 4 producers, 8 digest workers, 1 000 keys, no faults. */
export function concurrencyCases(target: SqlAdapterTarget): void {
  it('4 producers and 8 digest workers over 1000 keys deliver every record exactly once', async () => {
    const backend = await target.create({ minimumDelay: 0, incrementDelay: 0, maximumDelay: 0 });
    const { delivered, expected, errors } = await deliverUnderLoad(() => backend);
    expect(errors.map((e) => (e instanceof DigestsError ? e.code : String(e)))).toEqual([]);
    expect(delivered.size).toBe(expected.length);
    expect([...delivered.values()].every((n) => n === 1)).toBe(true);
    expect(await backend.storedRows()).toBe(0);
  }, 120_000);
}
