/**
 * Measures what one digest costs inside the store, to choose the worker's
 * default `digestLimit`: for N records of ~1 KB, the longest Redis script
 * of a digest (SLOWLOG, on a private redis-server this script starts) and
 * the wall time of a SQLite digest (its two write transactions and the
 * decoding between them), each as a whole timeline of N records and as a
 * `limit: N` digest of a 20 000-record timeline.
 *
 * Run: node --conditions=source --import tsx packages/core/test/worker/measure-digest-limit.ts
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisBackend } from '@digests/redis';
import { PrivateRedisServer } from '@digests/redis/testing';
import { SqliteBackend } from '@digests/sqlite';
import { Redis } from 'ioredis';
import type { AddManySource, Backend } from '../../src/index.js';

const SIZES = [500, 1_000, 2_000, 5_000];
const LARGE = 20_000;
const VALUE = 'x'.repeat(1_000);
const REPEAT = 3;

async function fill(backend: Backend<string>, key: string, count: number): Promise<void> {
  const now = Date.now();
  const batch = 500;
  const { addMany } = backend as Partial<AddManySource<string>>;
  for (let start = 0; start < count; start += batch) {
    const entries = Array.from({ length: Math.min(batch, count - start) }, (_, i) => ({
      key,
      record: { key: `r${start + i}`, value: VALUE, timestamp: now - count + start + i },
    }));
    if (addMany !== undefined) await addMany.call(backend, entries);
    else for (const { record } of entries) await backend.add(key, record);
  }
}

async function timedDigest(backend: Backend<string>, key: string, limit?: number): Promise<number> {
  const began = performance.now();
  await backend.digest(key, () => undefined, limit === undefined ? {} : { limit });
  return performance.now() - began;
}

async function measureRedis(): Promise<void> {
  const server = await PrivateRedisServer.start();
  const admin = new Redis(server.url);
  await admin.config('SET', 'slowlog-log-slower-than', '0');
  await admin.config('SET', 'slowlog-max-len', '10000');
  const backend = new RedisBackend<string>({ url: server.url, namespace: 'measure' });
  const slowest = async (): Promise<number> => {
    const entries = (await admin.slowlog('GET', 10_000)) as [number, number, number, string[]][];
    await admin.slowlog('RESET');
    return Math.max(
      0,
      ...entries
        .filter(([, , , args]) => /^EVAL/i.test(args[0] ?? ''))
        .map(([, , us]) => us / 1000),
    );
  };
  try {
    for (const n of SIZES) {
      const whole: number[] = [];
      const scripts: number[] = [];
      const bounded: number[] = [];
      const boundedScripts: number[] = [];
      for (let r = 0; r < REPEAT; r++) {
        const key = `whole:${n}:${r}`;
        await fill(backend, key, n);
        await slowest();
        whole.push(await timedDigest(backend, key));
        scripts.push(await slowest());
        const big = `large:${n}:${r}`;
        await fill(backend, big, LARGE);
        await slowest();
        bounded.push(await timedDigest(backend, big, n));
        boundedScripts.push(await slowest());
        await backend.delete(big);
      }
      report('redis', n, whole, scripts, bounded, boundedScripts);
    }
  } finally {
    await backend.close();
    await admin.quit();
    await server.stop();
  }
}

async function measureSqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'digests-measure-'));
  const backend = new SqliteBackend<string>({ filename: join(dir, 'measure.db') });
  try {
    for (const n of SIZES) {
      const whole: number[] = [];
      const bounded: number[] = [];
      for (let r = 0; r < REPEAT; r++) {
        const key = `whole:${n}:${r}`;
        await fill(backend, key, n);
        whole.push(await timedDigest(backend, key));
        const big = `large:${n}:${r}`;
        await fill(backend, big, LARGE);
        bounded.push(await timedDigest(backend, big, n));
        await backend.delete(big);
      }
      report('sqlite', n, whole, undefined, bounded, undefined);
    }
  } finally {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const ms = (value: number | undefined): string => (value === undefined ? '—' : value.toFixed(1));

function report(
  store: string,
  n: number,
  whole: readonly number[],
  scripts: readonly number[] | undefined,
  bounded: readonly number[],
  boundedScripts: readonly number[] | undefined,
): void {
  console.log(
    `| ${store} | ${n} | ${ms(median(whole))} | ${ms(scripts && Math.max(...scripts))} | ${ms(median(bounded))} | ${ms(boundedScripts && Math.max(...boundedScripts))} |`,
  );
}

console.log(
  `| store | N | digest of N records, ms (median of ${REPEAT}) | longest script, ms | limit N of ${LARGE}, ms | longest script, ms |`,
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
await measureRedis();
await measureSqlite();
