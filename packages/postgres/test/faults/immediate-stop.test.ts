import { BackendUnavailableError, DigestsError } from '@digests/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresBackend } from '../../src/index.js';
import {
  clusterToolsAvailable,
  type PrivateCluster,
  startPrivateCluster,
} from './private-cluster.js';

const available = clusterToolsAvailable();
if (!available && (process.env.CI ?? '') !== '') {
  throw new Error('initdb and pg_ctl are required in CI for the PostgreSQL fault suite');
}
if (!available) console.warn('Skipping the PostgreSQL fault suite: initdb/pg_ctl not found.');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!available)('a private PostgreSQL stopped with -m immediate', () => {
  let cluster: PrivateCluster;
  beforeAll(async () => {
    cluster = await startPrivateCluster();
  }, 60_000);
  afterAll(() => cluster?.remove());

  it('producers and a worker across the crash: everything acknowledged is delivered', async () => {
    const backend = new PostgresBackend({
      connectionString: cluster.url,
      operationTimeout: 2_000,
      minimumDelay: 0,
      incrementDelay: 0,
      maximumDelay: 0,
    });
    await backend.migrate();
    const acknowledged = new Set<string>();
    const delivered = new Map<string, number>();
    const unexpected: unknown[] = [];
    let outageErrors = 0;
    let producing = 3;
    const producers = [0, 1, 2].map(async (p) => {
      for (let i = 0; i < 300; i++) {
        const id = `p${p}-${i}`;
        // Retried until acknowledged: an add that failed ambiguously is the same record again.
        for (;;) {
          try {
            await backend.add(`k:${i % 40}`, { key: id, value: i, timestamp: Date.now() });
            acknowledged.add(id);
            break;
          } catch (error) {
            if (error instanceof BackendUnavailableError) outageErrors++;
            else unexpected.push(error);
            await sleep(50);
          }
        }
        await sleep(5);
      }
      producing--;
    });
    let stopWorker = false;
    const worker = (async () => {
      while (!stopWorker) {
        try {
          await backend.maintenance(Date.now() - 1_000);
          for await (const { key } of backend.schedule(Date.now(), { chunkSize: 50 })) {
            await backend.digest(key, (records) => {
              for (const r of records) delivered.set(r.key, (delivered.get(r.key) ?? 0) + 1);
            });
          }
        } catch (error) {
          if (!(error instanceof DigestsError)) unexpected.push(error);
        }
        await sleep(10);
      }
    })();
    await sleep(700);
    cluster.stopImmediately();
    await sleep(1_000);
    cluster.start();
    await Promise.all(producers);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && [...acknowledged].some((id) => !delivered.has(id))) {
      await sleep(100);
    }
    stopWorker = true;
    await worker;
    await backend.close();
    const lost = [...acknowledged].filter((id) => !delivered.has(id)).length;
    const duplicated = [...delivered.values()].filter((n) => n > 1).length;
    console.log(
      `postgres -m immediate: acknowledged ${acknowledged.size}, delivered ${delivered.size}, ` +
        `lost ${lost}, duplicated ${duplicated}, adds rejected during the outage ${outageErrors}, producers left ${producing}`,
    );
    expect(unexpected).toEqual([]);
    expect(acknowledged.size).toBe(900);
    expect(lost).toBe(0);
    // The crash really happened while producers ran.
    expect(outageErrors).toBeGreaterThan(0);
  }, 120_000);
});
