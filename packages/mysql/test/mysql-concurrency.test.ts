import { InvalidStateError, LeaseConflictError } from '@digests/core';
import { afterAll, describe, expect, it } from 'vitest';
import { MysqlBackend } from '../src/index.js';
import { dropTables, requireMysql, testPool, uniquePrefix } from './support/mysql-server.js';

const available = await requireMysql();

describe.skipIf(!available)('MySQL concurrency', () => {
  const { pool, end } = testPool();
  const prefixes: string[] = [];
  afterAll(async () => {
    await dropTables(pool, prefixes);
    await end();
  });

  it('producers and digesters on separate backends deliver every record exactly once', async () => {
    const tablePrefix = uniquePrefix('cc');
    prefixes.push(tablePrefix);
    // Several processes' worth of backends over the same tables, each on its own connections.
    const backends = Array.from(
      { length: 6 },
      () => new MysqlBackend<number>({ pool, tablePrefix, minimumDelay: 0, incrementDelay: 0 }),
    );
    await backends[0]!.migrate();
    const keys = Array.from({ length: 8 }, (_, i) => `k:${i}`);
    const produced: string[] = [];
    const delivered: string[] = [];
    let producing = true;

    const producer = async (backend: MysqlBackend<number>, id: number) => {
      for (let i = 0; i < 60; i++) {
        const key = keys[(i * 7 + id) % keys.length]!;
        const recordKey = `p${id}-${i}`;
        if (i % 10 === 0) {
          await backend.addMany(
            [0, 1, 2].map((j) => ({
              key: keys[(i + j) % keys.length]!,
              record: { key: `${recordKey}.${j}`, value: i, timestamp: Date.now() },
            })),
          );
          for (const j of [0, 1, 2])
            produced.push(`${keys[(i + j) % keys.length]}/${recordKey}.${j}`);
        } else {
          await backend.add(key, { key: recordKey, value: i, timestamp: Date.now() });
          produced.push(`${key}/${recordKey}`);
        }
      }
    };
    const digester = async (backend: MysqlBackend<number>) => {
      for (;;) {
        const last = !producing;
        await backend.maintenance(Date.now() + 60_000);
        for await (const { key } of backend.schedule(Date.now() + 60_000)) {
          await backend
            .digest(key, (records) => {
              for (const r of records) delivered.push(`${key}/${r.key}`);
            })
            .catch((error: unknown) => {
              // Another digester got there first: it holds the lease, or already digested the key.
              if (!(error instanceof LeaseConflictError || error instanceof InvalidStateError)) {
                throw error;
              }
            });
        }
        if (last) return;
      }
    };

    const digesters = backends.slice(3).map((backend) => digester(backend));
    await Promise.all(backends.slice(0, 3).map((backend, id) => producer(backend, id)));
    producing = false;
    await Promise.all(digesters);
    // Whatever a digester saw ready while another held its lease is picked up now.
    for (let round = 0; round < 5 && (await backends[0]!.storedRows()) > 0; round++) {
      await digester(backends[0]!);
    }

    expect(delivered.length).toBe(new Set(delivered).size);
    expect(new Set(delivered)).toEqual(new Set(produced));
    expect(await backends[0]!.storedRows()).toBe(0);
    await Promise.all(backends.map((backend) => backend.close()));
  }, 120_000);
});
