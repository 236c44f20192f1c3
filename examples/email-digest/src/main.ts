/**
 * The main example (`npm start`): three simulated hours of alert events over
 * six projects go through a `DigestWorker` on the configured store (a SQLite
 * file by default). Each project window becomes one digest, summarised the
 * way Sentry's digest email is, printed, and written to `out/mail` as `.eml`
 * and `.html`. At the end, every event id added is checked against every
 * record id delivered.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Backend,
  createDigestsContainer,
  type Delivery,
  DigestWorker,
  disposeDigestsContainer,
  TOKENS,
} from '@digests/core';
import { SimulatedClock } from './clock.js';
import { describeStore, loadExampleConfig } from './config.js';
import type { DigestMail } from './digest-mail.js';
import { type AlertEvent, generateEvents, PROJECTS } from './events.js';
import { Outbox } from './outbox.js';
import { renderBrief } from './render-text.js';
import { formatTime, summarize } from './summary.js';
import { Tally } from './tally.js';

const START = Date.UTC(2025, 2, 14, 9, 0, 0);
const HOURS = 3;
/** How often (simulated) the worker runs a pass: its `interval`. */
const TICK_MS = 30_000;
const keyOf = (projectId: number) => `mail:p:${projectId}`;

const outDir = fileURLToPath(new URL('../out/', import.meta.url));
await mkdir(outDir, { recursive: true });
const config = await loadExampleConfig(new URL('../digests.config.json', import.meta.url));
const clock = new SimulatedClock(START);
const logger = {
  warn: (message: string, context?: object) => console.warn(`warn: ${message}`, context ?? ''),
  error: (message: string, context?: object) => console.error(`error: ${message}`, context ?? ''),
};
const container = await createDigestsContainer(config, { clock: clock.now, logger });
const backend = container.get<Backend<AlertEvent>>(TOKENS.Backend);
// A fresh run: forget anything an earlier, interrupted run left in the store.
for (const project of PROJECTS) await backend.delete(keyOf(project.id));

const outbox = await Outbox.open(`${outDir}mail`);
const tally = new Tally();
const worker = new DigestWorker<AlertEvent>({ backend, deliver, clock: clock.now, logger });

async function deliver({ key, records, digestId }: Delivery<AlertEvent>): Promise<void> {
  const project = PROJECTS.find(({ id }) => keyOf(id) === key)!;
  const mail: DigestMail = {
    project,
    summary: summarize(records),
    digestId,
    key,
    sentAt: clock.now(),
  };
  await outbox.write(mail);
  tally.digest(records.map((record) => record.key));
  console.log(`${formatTime(mail.sentAt)}  ${renderBrief(mail)}`);
}

/** Moves simulated time to `time`, running a worker pass at every tick on the way. */
let nextTick = START;
async function advanceTo(time: number): Promise<void> {
  while (nextTick <= time) {
    clock.advanceTo(nextTick);
    await worker.runOnce();
    if ((nextTick - START) % 3_600_000 === 0 && nextTick > START) hourMark();
    nextTick += TICK_MS;
  }
  clock.advanceTo(time);
}

function hourMark(): void {
  const { eventsIn, digestsOut } = tally.result();
  console.log(
    `──── ${formatTime(clock.now())} · ${eventsIn} events in · ${digestsOut} digests out ────`,
  );
}

const events = generateEvents({ seed: 2025, start: START, durationMs: HOURS * 3_600_000 });
const began = performance.now();
console.log(
  `digests email example: ${events.length} events, ${PROJECTS.length} projects, ${HOURS} simulated hours, store ${describeStore(config, fileURLToPath(new URL('..', import.meta.url)))}\n`,
);
for (const event of events) {
  await advanceTo(event.timestamp);
  tally.added(event.id);
  await worker.add(keyOf(event.projectId), {
    key: event.id,
    value: event,
    timestamp: event.timestamp,
  });
}
// The stream is over: let every waiting timeline come due and be delivered.
const keys = PROJECTS.map(({ id }) => keyOf(id));
while ((await Promise.all(keys.map((key) => backend.inspect(key)))).some(({ size }) => size > 0)) {
  await advanceTo(clock.now() + TICK_MS);
}
await worker.stop();
await disposeDigestsContainer(container);

const result = tally.result();
const counters = worker.counters;
console.log(`
events in          ${result.eventsIn} (worker: ${counters.recordsAdded} added)
digests out        ${result.digestsOut} (worker: ${counters.digestsDelivered}; ${counters.failures} failed)
records delivered  ${result.delivered} (worker: ${counters.recordsDelivered}; duplicates ${result.duplicates.length})
lost               ${result.lost.length}
mail               ${outbox.count} .eml + .html in ${relative(process.cwd(), `${outDir}mail`)}
took               ${((performance.now() - began) / 1000).toFixed(1)} s for ${HOURS} simulated hours`);
if (result.duplicates.length > 0) console.log(`duplicates: ${result.duplicates.join(', ')}`);
if (result.lost.length > 0 || result.unexpected.length > 0) {
  console.error(
    `lost: ${result.lost.join(', ') || '-'}; unexpected: ${result.unexpected.join(', ') || '-'}`,
  );
  process.exitCode = 1;
}
