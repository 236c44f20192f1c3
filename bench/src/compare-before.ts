/**
 * Before/after in one run: the same add and digest workload against this
 * checkout's backends and against another checkout's (an older commit),
 * interleaved round by round so both see the same machine load.
 *
 *   git worktree add /tmp/digests-before <commit> && (cd /tmp/digests-before && npm ci)
 *   npm run compare-before -w bench -- --before /tmp/digests-before [--store sqlite,redis] [--rounds 3]
 *
 * Each side's packages are imported from that side's TypeScript source, so
 * neither needs a build. Every run works in its own Redis namespace,
 * PostgreSQL schema or temp file and removes it afterwards.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DATABASE_URL, REDIS_URL } from './stores.js';

interface Side {
  readonly name: 'before' | 'after';
  readonly root: string;
}

interface MinimalBackend {
  add(key: string, record: { key: string; value: unknown; timestamp: number }): Promise<boolean>;
  digest<R>(key: string, fn: (records: readonly unknown[]) => R): Promise<R>;
  maintenance(deadline: number): Promise<number>;
  schedule(deadline: number): AsyncIterable<{ key: string }>;
  close(): Promise<void>;
}

const STORES = ['memory', 'sqlite', 'postgres', 'redis'] as const;
type Store = (typeof STORES)[number];

const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    store: { type: 'string', default: STORES.join(',') },
    rounds: { type: 'string', default: '3' },
    adds: { type: 'string' },
    records: { type: 'string', default: '1000' },
    digests: { type: 'string', default: '12' },
  },
});
if (values.before === undefined) {
  console.error(
    'usage: compare-before --before DIR  (DIR: a checkout of the older commit, npm ci done)',
  );
  process.exit(2);
}
const sides: Side[] = [
  { name: 'before', root: resolve(values.before) },
  { name: 'after', root: resolve(import.meta.dirname, '../..') },
];
const stores = values.store.split(',') as Store[];
const rounds = Number(values.rounds);
/**
 * Adds per measurement: 8 000 on a server store; 100 000 in memory, where
 * 8 000 adds take a few milliseconds and the JIT and the collector decide
 * the figure.
 */
const addCountOf = (store: Store): number =>
  values.adds === undefined ? (store === 'memory' ? 100_000 : 8000) : Number(values.adds);
const digestSize = Number(values.records);
const digestCount = Number(values.digests);
const concurrency = 8;

async function open(
  side: Side,
  store: Store,
): Promise<{ backend: MinimalBackend; cleanup(): Promise<void> }> {
  const mod = (await import(
    pathToFileURL(join(side.root, 'packages', store, 'src', 'index.ts')).href
  )) as Record<string, new (options: object) => MinimalBackend>;
  const id = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const minimumDelay = 0;
  switch (store) {
    case 'memory': {
      const backend = new mod.MemoryBackend!({ minimumDelay });
      return { backend, cleanup: () => backend.close() };
    }
    case 'sqlite': {
      const dir = mkdtempSync(join(tmpdir(), 'digests-compare-'));
      const backend = new mod.SqliteBackend!({ filename: join(dir, 'd.db'), minimumDelay });
      return {
        backend,
        cleanup: async () => {
          await backend.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    case 'postgres': {
      const pool = new pg.Pool({ connectionString: DATABASE_URL, max: concurrency });
      const schema = `digests_compare_${id}`;
      await pool.query(`CREATE SCHEMA ${schema}`);
      const backend = new mod.PostgresBackend!({ pool, schema, minimumDelay });
      return {
        backend,
        cleanup: async () => {
          await backend.close();
          await pool.query(`DROP SCHEMA ${schema} CASCADE`);
          await pool.end();
        },
      };
    }
    case 'redis': {
      const client = new Redis(REDIS_URL);
      const namespace = `compare_${id}`;
      const backend = new mod.RedisBackend!({ client, namespace, minimumDelay });
      return {
        backend,
        cleanup: async () => {
          await backend.close();
          let cursor = '0';
          do {
            const [next, keys] = await client.scan(
              cursor,
              'MATCH',
              `*${namespace}*`,
              'COUNT',
              1000,
            );
            cursor = next;
            if (keys.length > 0) await client.del(...keys);
          } while (cursor !== '0');
          client.disconnect();
        },
      };
    }
  }
}

/** Wall milliseconds, and this process's CPU milliseconds (user + system). */
async function lanes(
  count: number,
  fn: (i: number) => Promise<unknown>,
): Promise<{ ms: number; cpuMs: number }> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) await fn(i);
    }),
  );
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

/** adds/s into 100 timelines at concurrency 8; then digests/s of `digestSize`-record timelines. */
async function measure(
  side: Side,
  store: Store,
): Promise<{ adds: number; addsByCpu: number; digestMs: number }> {
  const { backend, cleanup } = await open(side, store);
  try {
    const now = Date.now();
    const value = { level: 'error', message: 'disk full on db-3' };
    const addCount = addCountOf(store);
    await lanes(addCount / 16, (i) =>
      backend.add(`warm:${i % 50}`, { key: `w${i}`, value, timestamp: now }),
    );
    const added = await lanes(addCount, (i) =>
      backend.add(`t:${i % 100}`, { key: `r${i}`, value, timestamp: now + i }),
    );
    // Timelines of digestSize records each, then one digest each, one at a time.
    await lanes(digestCount * digestSize, (i) =>
      backend.add(`d:${i % digestCount}`, { key: `r${i}`, value, timestamp: now + i }),
    );
    const samples: number[] = [];
    for (let k = 0; k < digestCount; k++) {
      const started = performance.now();
      const size = await backend.digest(`d:${k}`, (records) => records.length);
      samples.push(performance.now() - started);
      if (size !== digestSize) throw new Error(`${side.name} ${store}: digest got ${size} records`);
    }
    samples.sort((a, b) => a - b);
    return {
      adds: addCount / (added.ms / 1000),
      addsByCpu: addCount / (added.cpuMs / 1000),
      digestMs: samples[Math.floor(samples.length / 2)]!,
    };
  } finally {
    await cleanup();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`before: ${sides[0]!.root}\nafter:  ${sides[1]!.root}`);
console.log(
  `${values.adds ?? '8000 (memory: 100 000)'} adds at concurrency ${concurrency}; ${digestCount} digests of ${digestSize} records; ${rounds} interleaved rounds, medians\n`,
);
console.log(
  '| store | adds/s before | adds/s after | after/before | after/before by CPU time | digest p50 before | digest p50 after | before/after |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const store of stores) {
  const results: Record<Side['name'], { adds: number[]; addsByCpu: number[]; digestMs: number[] }> =
    {
      before: { adds: [], addsByCpu: [], digestMs: [] },
      after: { adds: [], addsByCpu: [], digestMs: [] },
    };
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      const { adds, addsByCpu, digestMs } = await measure(side, store);
      results[side.name].adds.push(adds);
      results[side.name].addsByCpu.push(addsByCpu);
      results[side.name].digestMs.push(digestMs);
      process.stderr.write(
        `  ${store} round ${round + 1}/${rounds} ${side.name}: ${Math.round(adds)} adds/s, digest ${digestMs.toFixed(1)} ms\n`,
      );
    }
  }
  const b = { adds: median(results.before.adds), digest: median(results.before.digestMs) };
  const a = { adds: median(results.after.adds), digest: median(results.after.digestMs) };
  // CPU time: what this process spent per add, which a busy machine distorts
  // much less than wall time (for a server store it leaves out the server).
  const byCpu = median(results.after.addsByCpu) / median(results.before.addsByCpu);
  console.log(
    `| ${store} | ${Math.round(b.adds)} | ${Math.round(a.adds)} | ${(a.adds / b.adds).toFixed(2)}× | ${byCpu.toFixed(2)}× | ${b.digest.toFixed(1)} ms | ${a.digest.toFixed(1)} ms | ${(b.digest / a.digest).toFixed(2)}× |`,
  );
}
