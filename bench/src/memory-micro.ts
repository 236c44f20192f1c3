/**
 * Micro-benchmark of the memory backend: add throughput and the cost of
 * scheduling 100 000 due keys. Prints figures; asserts nothing.
 *
 *   npm run bench:memory --workspace bench
 */
import { MemoryBackend } from '@digests/memory';

const ADDS = Number(process.env.ADDS ?? 1_000_000);
const KEYS = Number(process.env.KEYS ?? 100_000);

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

async function measureAdds(): Promise<void> {
  const backend = new MemoryBackend({ clock: () => 0 });
  const value = { level: 'error', message: 'disk full' };
  // Warm up the JIT on a separate backend.
  const warm = new MemoryBackend();
  for (let i = 0; i < 50_000; i++) {
    await warm.add(`w:${i % 100}`, { key: `r${i}`, value, timestamp: i });
  }
  const started = performance.now();
  for (let i = 0; i < ADDS; i++) {
    await backend.add(`mail:p:${i % KEYS}`, { key: `r${i}`, value, timestamp: i });
  }
  const elapsed = performance.now() - started;
  console.log(
    `add            ${ADDS.toLocaleString('en-US')} records over ${KEYS.toLocaleString('en-US')} keys: ${elapsed.toFixed(0)} ms, ${rate(ADDS, elapsed)}`,
  );
}

async function measureSchedule(): Promise<void> {
  let now = 0;
  const backend = new MemoryBackend({ clock: () => now });
  for (let i = 0; i < KEYS; i++) {
    await backend.add(`mail:p:${i}`, { key: 'r', value: i, timestamp: i });
  }
  await backend.maintenance(Number.POSITIVE_INFINITY); // every key → waiting
  now = KEYS;
  const started = performance.now();
  let yielded = 0;
  for await (const _ of backend.schedule(now)) yielded++;
  const elapsed = performance.now() - started;
  console.log(
    `schedule       ${yielded.toLocaleString('en-US')} due keys: ${elapsed.toFixed(0)} ms, ${((elapsed * 1000) / yielded).toFixed(2)} µs/key`,
  );

  const digestStarted = performance.now();
  for (let i = 0; i < KEYS; i++) await backend.digest(`mail:p:${i}`, () => undefined);
  console.log(
    `digest         ${KEYS.toLocaleString('en-US')} keys: ${rate(KEYS, performance.now() - digestStarted)}`,
  );

  // Cost with few due keys among many: must not scan every timeline.
  const few = performance.now();
  let some = 0;
  for await (const _ of backend.schedule(now + 300_000 - 1)) some++;
  console.log(
    `schedule       ${some} due among ${KEYS.toLocaleString('en-US')} waiting: ${(performance.now() - few).toFixed(3)} ms`,
  );
}

console.log(`digests memory backend micro-benchmark — node ${process.version}`);
await measureAdds();
await measureSchedule();
const rss = process.memoryUsage().rss / 1024 / 1024;
console.log(`rss            ${rss.toFixed(0)} MiB`);
