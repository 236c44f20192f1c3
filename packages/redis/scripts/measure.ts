/**
 * Measures the Redis backend against a local server: adds per second (one at
 * a time, 64 in flight, and `addMany` in batches of 100 — one at a time and 8
 * in flight) and the latency of digesting a 1000-record timeline (open +
 * commit, an empty fn) — each next to its raw floor, measured in the same run
 * and interleaved round by round: an add against one EVALSHA of a script
 * doing ZADD + SET, a digest against one pipeline of ZREVRANGE + HGETALL +
 * DEL of the same 1000 records, decoded with the same codec.
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

const RAW_ADD = `redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
return 1`;

/** The raw floor of an add: one EVALSHA of ZADD + SET, `inFlight` at once. */
async function rawAddsPerSecond(count: number, inFlight: number): Promise<number> {
  const sha = (await client.script('LOAD', RAW_ADD)) as string;
  const encoded = JSON.stringify(value);
  const started = performance.now();
  for (let start = 0; start < count; start += inFlight) {
    const batch: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(count, start + inFlight); i++) {
      batch.push(
        client.evalsha(
          sha,
          2,
          `{${namespace}:raw}:z`,
          `{${namespace}:raw}:v:${i}`,
          Date.now(),
          `e${i}`,
          encoded,
        ),
      );
    }
    await Promise.all(batch);
  }
  return count / ((performance.now() - started) / 1000);
}

/** Fills `key` with `records` records through the backend. */
async function fill(key: string, records: number): Promise<void> {
  await backend.addMany(
    Array.from({ length: records }, (_, i) => ({
      key,
      record: { key: `e${i}`, value, timestamp: Date.now() + i },
    })),
  );
}

/**
 * Digest latencies next to the raw floor's, round by round: the backend's
 * digest of a 1000-record timeline, and one pipeline reading (ZREVRANGE,
 * HGETALL), decoding and deleting a copy of the same records.
 */
async function digestLatencies(
  records: number,
  rounds: number,
): Promise<{ digest: number[]; floor: number[] }> {
  const digest: number[] = [];
  const floor: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const key = `digest:${round}`;
    await fill(key, records);
    const zset = `{${namespace}:raw}:digest:z`;
    const hash = `{${namespace}:raw}:digest:h`;
    const copy = client.pipeline();
    for (let i = 0; i < records; i++) {
      copy.zadd(zset, Date.now() + i, `e${i}`);
      copy.hset(hash, `e${i}`, JSON.stringify(value));
    }
    await copy.exec();

    let started = performance.now();
    const seen = await backend.digest(key, (delivered) => delivered.length);
    digest.push(performance.now() - started);
    if (seen !== records) throw new Error(`digest saw ${seen} records, expected ${records}`);

    started = performance.now();
    const replies = await client
      .pipeline()
      .zrevrange(zset, 0, -1, 'WITHSCORES')
      .hgetall(hash)
      .del(zset, hash)
      .exec();
    const ids = replies![0]![1] as string[];
    const values = replies![1]![1] as Record<string, string>;
    const decoded = [];
    for (let i = 0; i < ids.length; i += 2) {
      decoded.push({
        key: ids[i]!,
        timestamp: Number(ids[i + 1]),
        value: JSON.parse(values[ids[i]!]!),
      });
    }
    floor.push(performance.now() - started);
    if (decoded.length !== records) throw new Error('the raw floor saw the wrong count');
  }
  return { digest: digest.sort((a, b) => a - b), floor: floor.sort((a, b) => a - b) };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

try {
  await addsPerSecond(2_000, 64); // warm-up: connections, script cache, JIT
  await rawAddsPerSecond(2_000, 64);
  const sequential = await addsPerSecond(5_000, 1);
  // Interleaved rounds, so load from elsewhere hits both sides alike.
  let pipelined = 0;
  let raw = 0;
  for (let round = 0; round < 5; round++) {
    pipelined += await addsPerSecond(10_000, 64);
    raw += await rawAddsPerSecond(10_000, 64);
  }
  await batchedAddsPerSecond(10_000, 100, 8); // warm-up of the add-many script
  const batched = await batchedAddsPerSecond(50_000, 100, 1);
  const batchedPipelined = await batchedAddsPerSecond(200_000, 100, 8);
  const latencies = await digestLatencies(1_000, 30);
  const median = (sorted: readonly number[]) => quantile(sorted, 0.5);
  console.log(`Redis ${url}, namespace ${namespace}`);
  console.log(`add, one at a time:   ${Math.round(sequential).toLocaleString('en')} adds/s`);
  console.log(
    `add, 64 in flight:    ${Math.round(pipelined / 5).toLocaleString('en')} adds/s; ` +
      `raw EVALSHA (ZADD+SET) ${Math.round(raw / 5).toLocaleString('en')}/s; ratio ${(pipelined / raw).toFixed(2)}×`,
  );
  console.log(`addMany ×100, one at a time: ${Math.round(batched).toLocaleString('en')} adds/s`);
  console.log(
    `addMany ×100, 8 in flight:   ${Math.round(batchedPipelined).toLocaleString('en')} adds/s`,
  );
  console.log(
    `digest of 1000 records: median ${median(latencies.digest).toFixed(2)} ms, ` +
      `p95 ${quantile(latencies.digest, 0.95).toFixed(2)} ms (${latencies.digest.length} runs); ` +
      `raw floor (ZREVRANGE + HGETALL + DEL pipeline, decoded) median ${median(latencies.floor).toFixed(2)} ms; ` +
      `ratio ${(median(latencies.digest) / median(latencies.floor)).toFixed(2)}×`,
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
