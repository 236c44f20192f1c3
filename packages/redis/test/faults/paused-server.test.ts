import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FallbackBackend } from '@digests/core';
import { RedisBackend } from '@digests/redis';
import { PrivateRedisServer } from '@digests/redis/testing';
import { SqliteBackend } from '@digests/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRedisBinaries } from '../support/redis-servers.js';
import { Ledger } from './ledger.js';

const available = await requireRedisBinaries();
const OPERATION_TIMEOUT = 500;
/** What "within operationTimeout" may add on a loaded 2-core machine (the SQLite write included). */
const MARGIN = 1_000;
const DELAYS = { minimumDelay: 0, incrementDelay: 0, maximumDelay: 0 };

describe.skipIf(!available)(
  'fault: the primary Redis frozen with SIGSTOP under Fallback(redis → SQLite)',
  () => {
    let server: PrivateRedisServer;
    let dir: string;

    beforeAll(async () => {
      server = await PrivateRedisServer.start();
      dir = await mkdtemp(join(tmpdir(), 'digests-fault-paused-'));
    });

    afterAll(async () => {
      server?.process.kill('SIGCONT');
      await server?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('adds land in the secondary within operationTimeout + margin, and nothing is lost', async () => {
      // The backend owns its client: commandTimeout = operationTimeout.
      const primary = new RedisBackend<string>({
        ...DELAYS,
        url: server.url,
        namespace: 'paused',
        operationTimeout: OPERATION_TIMEOUT,
      });
      const secondary = new SqliteBackend<string>({
        ...DELAYS,
        filename: join(dir, 'fallback.db'),
      });
      const backend = new FallbackBackend<string>({ primary, secondary });
      const ledger = new Ledger();
      const latencies: number[] = [];
      let id = 0;
      const add = async (): Promise<void> => {
        const record = `r${id++}`;
        const started = performance.now();
        await backend.add(`k${id % 8}`, { key: record, value: record, timestamp: Date.now() });
        latencies.push(performance.now() - started);
        ledger.acknowledged.add(record);
      };

      for (let i = 0; i < 20; i++) await add();
      server.process.kill('SIGSTOP');
      const frozenFrom = latencies.length;
      try {
        // 3 s frozen: 4 producers keep adding.
        const until = Date.now() + 3_000;
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (Date.now() < until) await add();
          }),
        );
      } finally {
        server.process.kill('SIGCONT');
      }
      const frozen = latencies.slice(frozenFrom);
      const longest = Math.max(...frozen);
      // What the freeze sent to the secondary is there.
      const inSecondary = await secondary.storedItems();
      for (let i = 0; i < 20; i++) await add();

      // Deliver everything from both stores (reads merge).
      for (let pass = 0; pass < 20; pass++) {
        await backend.maintenance(Number.POSITIVE_INFINITY);
        for await (const _ of backend.schedule(Number.POSITIVE_INFINITY));
        let ready = 0;
        for (let k = 0; k < 8; k++) {
          if ((await backend.inspect(`k${k}`)).state !== 'ready') continue;
          ready++;
          const ids: string[] = [];
          await backend.digest(`k${k}`, (records) => {
            for (const record of records) ids.push(record.value);
          });
          ledger.delivered(ids);
        }
        if (ready === 0) break;
        await sleep(10);
      }
      const tally = ledger.tally();
      console.log(
        `SIGSTOP primary: acknowledged ${tally.acknowledged} / delivered ${tally.delivered} / lost ${tally.lost} / duplicated ${tally.duplicated}; ` +
          `${frozen.length} adds while frozen, longest ${longest.toFixed(0)} ms (operationTimeout ${OPERATION_TIMEOUT} ms)`,
      );
      expect(frozen.length).toBeGreaterThan(4);
      expect(longest).toBeLessThan(OPERATION_TIMEOUT + MARGIN);
      expect(inSecondary).toBeGreaterThan(0);
      expect(tally.lost).toBe(0);
      await backend.close();
    }, 60_000);
  },
);
