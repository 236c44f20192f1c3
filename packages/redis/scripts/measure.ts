/**
 * Measures the Redis backend against a local server: adds per second (one at
 * a time, 64 in flight, and `addMany` in batches of 100 — one at a time and 8
 * in flight) and the latency of digesting a 1000-record timeline (open +
 * commit, an empty fn).
 *
 * ```sh
 * node --conditions=source --import tsx packages/redis/scripts/measure.ts
 * REDIS_URL=redis://127.0.0.1:6380 node --conditions=source --import tsx packages/redis/scripts/measure.ts
 * ```
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { namespacePattern, RedisBackend } from '@digests/redis';
import { Redis } from 'ioredis';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const client = new Redis(url);
const namespace = `measure-${randomBytes(4).toString('hex')}`;
const backend = new RedisBackend({ client, namespace });
const value = { issue: 'TypeError in checkout', count: 1, tags: ['browser', 'prod'] };

async function addsPerSecond(count: number, inFlight: number): Promise<number> {
  const started = performance.now();
  for (let start = 0; start < count; start += inFlight) {
    const batch: Promise<boolean>[] = [];
    for (let i = start; i < Math.min(count, start + inFlight); i++) {
      batch.push(backend.add(`adds:${i % 100}`, { key: `e${i}`, value, timestamp: Date.now() }));
    }
    await Promise.all(batch);
  }
  return count / ((performance.now() - started) / 1000);
}

/** `addMany` in batches of `size` over the same 100 timelines, `inFlight` batches at once. */
async function batchedAddsPerSecond(
  count: number,
  size: number,
  inFlight: number,
): Promise<number> {
  const started = performance.now();
  const step = size * inFlight;
  for (let start = 0; start < count; start += step) {
    const batches: Promise<boolean[]>[] = [];
    for (let from = start; from < Math.min(count, start + step); from += size) {
      const entries = [];
      for (let i = from; i < Math.min(count, from + size); i++) {
        entries.push({
          key: `adds:${i % 100}`,
          record: { key: `e${i}`, value, timestamp: Date.now() },
        });
      }
      batches.push(backend.addMany(entries));
    }
    await Promise.all(batches);
  }
  return count / ((performance.now() - started) / 1000);
}

async function digestLatencies(records: number, rounds: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const key = `digest:${round}`;
    const batch: Promise<boolean>[] = [];
    for (let i = 0; i < records; i++) {
      batch.push(backend.add(key, { key: `e${i}`, value, timestamp: Date.now() + i }));
    }
    await Promise.all(batch);
    const started = performance.now();
    const seen = await backend.digest(key, (delivered) => delivered.length);
    latencies.push(performance.now() - started);
    if (seen !== records) throw new Error(`digest saw ${seen} records, expected ${records}`);
  }
  return latencies.sort((a, b) => a - b);
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

try {
  await addsPerSecond(2_000, 64); // warm-up: connections, script cache, JIT
  const sequential = await addsPerSecond(5_000, 1);
  const pipelined = await addsPerSecond(50_000, 64);
  await batchedAddsPerSecond(10_000, 100, 8); // warm-up of the ADD_MANY script
  const batched = await batchedAddsPerSecond(50_000, 100, 1);
  const batchedPipelined = await batchedAddsPerSecond(200_000, 100, 8);
  const latencies = await digestLatencies(1_000, 30);
  console.log(`Redis ${url}, namespace ${namespace}`);
  console.log(`add, one at a time:   ${Math.round(sequential).toLocaleString('en')} adds/s`);
  console.log(`add, 64 in flight:    ${Math.round(pipelined).toLocaleString('en')} adds/s`);
  console.log(`addMany ×100, one at a time: ${Math.round(batched).toLocaleString('en')} adds/s`);
  console.log(
    `addMany ×100, 8 in flight:   ${Math.round(batchedPipelined).toLocaleString('en')} adds/s`,
  );
  console.log(
    `digest of 1000 records: median ${quantile(latencies, 0.5).toFixed(2)} ms, ` +
      `p95 ${quantile(latencies, 0.95).toFixed(2)} ms (${latencies.length} runs)`,
  );
} finally {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(
      cursor,
      'MATCH',
      namespacePattern(namespace),
      'COUNT',
      1000,
    );
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
  await backend.close();
  await client.quit();
}
