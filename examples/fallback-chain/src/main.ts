/**
 * A composed backend chain built from a config file: by default
 * `retrying → fallback(primary: Redis, secondary: SQLite)` (see digests.json).
 * Alerts from two services are batched into digests by a DigestWorker on a
 * simulated clock; when Redis is down, writes fall back to SQLite and are
 * still delivered. The run ends with records still waiting; they stay in the
 * stores, and the next run delivers them — after the fallback's mover has
 * returned any left in SQLite to Redis, if Redis is back.
 *
 * Run: `npm start` (or `npm start -- path/to/config.json`).
 */
import { mkdir } from 'node:fs/promises';
import {
  type Backend,
  createDigestsContainer,
  DigestWorker,
  disposeDigestsContainer,
  loadConfig,
  TOKENS,
} from '@digests/core';
import { reachable, redisUrls } from './probe.js';
import { describeTree, fallbacksIn, innerStoreNames } from './tree.js';

interface Alert {
  readonly service: string;
  readonly message: string;
}

const MINUTE = 60_000;
const configPath = process.argv[2] ?? 'digests.json';
const config = await loadConfig(configPath);
await mkdir('out', { recursive: true }); // where digests.json puts the SQLite file

for (const url of redisUrls(config)) {
  if (await reachable(url)) {
    console.log(`Redis at ${url} is up: writes go to the primary.`);
  } else {
    console.log(
      `Redis at ${url} is down: writes fall back to the secondary and are delivered from it.\n` +
        '(Each Redis call waits for the client to try reconnecting, so this run takes a few seconds.)',
    );
  }
}

// One line per distinct problem, so an outage does not flood the output. A
// container that skips an unavailable inner store says which one and why: the
// error names the store and its address ("Redis at redis://… is unavailable:
// connect ECONNREFUSED …").
const warned = new Set<string>();
// A container numbers its inner stores; the config says what they are.
const innerStores = innerStoreNames(config);
const logger = {
  warn(message: string, context?: Readonly<Record<string, unknown>>) {
    const line = explain(message, context?.error);
    if (!warned.has(line)) console.log(`  [warn] ${line}`);
    warned.add(line);
  },
  error(message: string, context?: Readonly<Record<string, unknown>>) {
    console.log(`  [error] ${explain(message, context?.error)}`);
  },
};

function explain(message: string, error: unknown): string {
  const why = error instanceof Error ? error.message : undefined;
  const skipped = /^(\w+): skipped inner backend (\d+), it is unavailable$/.exec(message);
  if (skipped !== null) {
    const store = innerStores[Number(skipped[2])] ?? `inner store ${skipped[2]}`;
    return `${skipped[1]} went on without ${store}, which is down${why === undefined ? '' : ` — ${why}`}`;
  }
  return why === undefined ? message : `${message} — ${why}`;
}

let now = Date.now();
const clock = () => now;
const container = await createDigestsContainer(config, { clock, logger });
const backend = container.get<Backend<Alert>>(TOKENS.Backend);
console.log(`\nThe chain ${configPath} describes:\n${describeTree(backend)}\n`);

// Records an earlier run left in SQLite during an outage go back to Redis.
for (const fallback of fallbacksIn(backend)) {
  const report = await fallback.moveBack().catch((error: unknown) => error);
  console.log('mover:', report instanceof Error ? `not now (${report.message})` : report, '\n');
}

const worker = new DigestWorker<Alert>({
  backend,
  clock,
  logger,
  // Each pass first returns ready keys older than this to the schedule: that
  // delivers the keys the mover made ready (and rescues failed deliveries).
  maintenanceAge: MINUTE,
  deliver: ({ key, records }) => {
    const at = new Date(now).toISOString().slice(11, 16);
    console.log(`${at}  digest of ${key}: ${records.length} alert(s)`);
    for (const { value } of records) console.log(`         - ${value.message}`);
  },
});

// The simulated clock runs ahead of real time, so what an earlier run left
// waiting may be due "later" than now: start after it, so this run's first
// pass delivers it and reruns never pile alerts up.
for (const service of ['checkout', 'search']) {
  const { score, size } = await backend.inspect(`alerts:${service}`);
  if (score !== undefined) now = Math.max(now, score + MINUTE);
  if (size > 0)
    console.log(`alerts:${service}: ${size} alert(s) left by an earlier run, delivered first`);
}

const stream: [minute: number, service: string, message: string][] = [
  [0, 'checkout', 'TypeError: total is undefined'],
  [0, 'search', 'Timeout querying the index'],
  [1, 'checkout', 'TypeError: total is undefined (again)'],
  [2, 'search', 'Timeout querying the index (again)'],
  [3, 'checkout', 'Payment provider returned 502'],
  [4, 'checkout', 'Payment provider returned 502 (again)'],
];
// Record keys are the events' own ids, the same on every run: a record added
// again under its key replaces it, so rerunning the example does not pile up
// alerts that an earlier run left waiting.
for (let minute = 0, next = 0; minute <= 5; minute++) {
  now += MINUTE;
  for (; next < stream.length && stream[next]![0] === minute; next++) {
    const [, service, message] = stream[next]!;
    const key = `alerts:${service}`;
    await worker.add(key, { key: `event-${next}`, value: { service, message }, timestamp: now });
  }
  await worker.runOnce();
}

const counters = worker.counters;
console.log(
  `\n${counters.recordsAdded} alerts in; ${counters.immediateDigests} sent at once (the first of their timeline).`,
);
for (const service of ['checkout', 'search']) {
  const info = await backend.inspect(`alerts:${service}`);
  if (info.size > 0) {
    const due = info.score === undefined ? '' : `, due ${new Date(info.score).toISOString()}`;
    console.log(
      `alerts:${service} still holds ${info.size} alert(s) (${info.state}${due}): they stay in the store for a later run.`,
    );
  }
}
await worker.stop();
await disposeDigestsContainer(container); // closes Redis and SQLite
