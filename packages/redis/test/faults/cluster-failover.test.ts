import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Backend,
  BackendUnavailableError,
  FallbackBackend,
  RetryingBackend,
} from '@digests/core';
import { RedisBackend } from '@digests/redis';
import { SqliteBackend } from '@digests/sqlite';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRedisBinaries } from '../support/redis-servers.js';
import {
  clusterOk,
  type FaultCluster,
  shortenNodeTimeout,
  startFaultCluster,
} from './fault-cluster.js';
import { Ledger } from './ledger.js';

const available = await requireRedisBinaries();
const KEYS = Array.from({ length: 24 }, (_, i) => `mail:p:${i}`);
const DELAYS = { minimumDelay: 0, incrementDelay: 0, maximumDelay: 0 };

/** Digests every due key through `backend` until nothing is left; records committed digests. */
async function drain(backend: Backend<string>, ledger: Ledger): Promise<void> {
  for (let pass = 0; pass < 50; pass++) {
    await backend.maintenance(Number.POSITIVE_INFINITY);
    for await (const _ of backend.schedule(Number.POSITIVE_INFINITY));
    let ready = 0;
    for (const key of KEYS) {
      if ((await backend.inspect(key)).state !== 'ready') continue;
      ready++;
      const ids: string[] = [];
      await backend.digest(key, (records) => {
        for (const record of records) ids.push(record.value);
      });
      ledger.delivered(ids);
    }
    if (ready === 0) return;
  }
}

describe.skipIf(!available)(
  'fault: a cluster master killed and restarted under Retrying(Fallback(cluster → SQLite))',
  () => {
    let cluster: FaultCluster;
    let client: Cluster;
    let dir: string;

    beforeAll(async () => {
      cluster = await startFaultCluster();
      dir = await mkdtemp(join(tmpdir(), 'digests-fault-sqlite-'));
      // Fail over fast: the fallback, not the client, absorbs the outage.
      client = new Cluster([...cluster.nodes], {
        maxRedirections: 6,
        retryDelayOnFailover: 50,
        retryDelayOnClusterDown: 50,
        retryDelayOnTryAgain: 50,
        redisOptions: {
          connectTimeout: 500,
          maxRetriesPerRequest: 1,
          autoResendUnfulfilledCommands: false,
        },
      });
      client.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => {
        client.once('ready', () => resolve());
        client.once('error', reject);
      });
    }, 60_000);

    afterAll(async () => {
      client?.disconnect();
      await cluster?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('every acknowledged add is delivered; failover errors are transient and reach the secondary', async () => {
      const primary = new RedisBackend<string>({
        ...DELAYS,
        client,
        namespace: 'fault',
        operationTimeout: 3_000,
      });
      const secondary = new SqliteBackend<string>({
        ...DELAYS,
        filename: join(dir, 'fallback.db'),
      });
      let absorbed = 0;
      const causes = new Set<string>();
      const notTransient: unknown[] = [];
      const fallback = new FallbackBackend<string>({
        primary,
        secondary,
        logger: {
          warn: (_, context) => {
            absorbed++;
            // "…is unavailable: <why>": keep the kind of failure, not the port.
            const error = context?.error;
            if (!(error instanceof BackendUnavailableError)) notTransient.push(error);
            const why = (error as Error).message.replace(/^.*?unavailable: /, '');
            causes.add(why.replace(/\d+/g, 'N').slice(0, 90));
          },
        },
      });
      let retried = 0;
      const backend = new RetryingBackend<string>({
        backend: fallback,
        delays: [50, 100, 200, 400, 800, 1_600],
        logger: { warn: () => retried++ },
      });
      const ledger = new Ledger();
      const rejected: unknown[] = [];
      let next = 0;
      let producing = true;
      const producer = async (): Promise<void> => {
        while (producing) {
          const id = `r${next++}`;
          const key = KEYS[next % KEYS.length]!;
          try {
            await backend.add(key, { key: id, value: id, timestamp: Date.now() });
            ledger.acknowledged.add(id);
          } catch (error) {
            rejected.push(error);
          }
        }
      };
      const producers = Array.from({ length: 4 }, producer);

      await sleep(500);
      const victim = cluster.servers[1]!;
      await victim.stop('SIGKILL');
      await sleep(2_500); // the cluster notices (node timeout 1 s) and reports CLUSTERDOWN
      await victim.start();
      await shortenNodeTimeout(victim);
      await clusterOk(cluster.servers);
      await sleep(500);
      producing = false;
      await Promise.all(producers);

      await drain(backend, ledger);
      const tally = ledger.tally();
      console.log(
        `cluster master killed: acknowledged ${tally.acknowledged} / delivered ${tally.delivered} / lost ${tally.lost} / duplicated ${tally.duplicated}; ` +
          `${absorbed} writes absorbed by the secondary, ${retried} retries, ${rejected.length} adds rejected to the caller`,
      );
      console.log(`primary failures the secondary absorbed: ${[...causes].join(' | ')}`);
      expect(tally.acknowledged).toBeGreaterThan(100);
      expect(tally.lost).toBe(0);
      expect(absorbed).toBeGreaterThan(0);
      expect(notTransient).toEqual([]);
      for (const key of KEYS) expect((await backend.inspect(key)).size).toBe(0);
      await backend.close();
    }, 90_000);
  },
);
