/**
 * The main example (`npm start`): three simulated hours of alert events over
 * six projects, batched into one digest per project window, each rendered the
 * way Sentry's digest email is and written to `out/mail` as `.eml` + `.html`.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Backend, TimelineRecord } from '@digests/core';
import { SimulatedClock } from './clock.js';
import { loadExampleConfig, openStore } from './config.js';
import type { DigestMail } from './digest-mail.js';
import { type AlertEvent, generateEvents, PROJECTS } from './events.js';
import { Outbox } from './outbox.js';
import { renderBrief } from './render-text.js';
import { formatTime, summarize } from './summary.js';
import { Tally } from './tally.js';

const START = Date.UTC(2025, 2, 14, 9, 0, 0);
const HOURS = 3;
const TICK_MS = 30_000;
const DELAYS = { minimumDelay: 5 * 60_000, incrementDelay: 30_000, maximumDelay: 30 * 60_000 };

const outDir = fileURLToPath(new URL('../out/', import.meta.url));
await mkdir(outDir, { recursive: true });
const config = await loadExampleConfig(new URL('../digests.config.json', import.meta.url));
const clock = new SimulatedClock(START);
const backend = await openStore<AlertEvent>(config, { ...DELAYS, clock: clock.now });
const keyOf = (projectId: number) => `mail:p:${projectId}`;
// A fresh run: forget anything an earlier, interrupted run left in the store.
for (const project of PROJECTS) await backend.delete(keyOf(project.id));

const outbox = await Outbox.open(`${outDir}mail`);
const tally = new Tally();
const events = generateEvents({ seed: 2025, start: START, durationMs: HOURS * 3_600_000 });
console.log(
  `digests email example: ${events.length} events over ${PROJECTS.length} projects, ${HOURS} simulated hours, store "${config.store.backend}"\n`,
);

let digests = 0;
async function deliver(key: string, records: readonly TimelineRecord<AlertEvent>[]): Promise<void> {
  // A timeline that went quiet is digested once more, empty, to retire it: no mail.
  if (records.length === 0) return;
  const projectId = Number(key.slice('mail:p:'.length));
  const project = PROJECTS.find(({ id }) => id === projectId)!;
  digests++;
  const mail: DigestMail = {
    project,
    summary: summarize(records),
    digestId: `d${digests}`,
    key,
    sentAt: clock.now(),
  };
  tally.digest(records.map(({ key: id }) => id));
  await outbox.write(mail);
  console.log(`${formatTime(mail.sentAt)}  ${renderBrief(mail)}`);
}

async function digest(backend: Backend<AlertEvent>, key: string): Promise<void> {
  await backend.digest(key, (records) => deliver(key, records));
}

async function tick(): Promise<void> {
  for await (const { key } of backend.schedule(clock.now())) await digest(backend, key);
}

let nextTick = START;
async function advanceTo(time: number): Promise<void> {
  while (nextTick <= time) {
    clock.advanceTo(nextTick);
    await tick();
    nextTick += TICK_MS;
  }
  clock.advanceTo(time);
}

for (const event of events) {
  await advanceTo(event.timestamp);
  const key = keyOf(event.projectId);
  tally.added(event.id);
  if (await backend.add(key, { key: event.id, value: event, timestamp: event.timestamp })) {
    await digest(backend, key);
  }
}
// Let every waiting timeline come due and be delivered.
await advanceTo(clock.now() + DELAYS.maximumDelay + DELAYS.minimumDelay);

const result = tally.result();
await backend.close();
console.log(`
events in          ${result.eventsIn}
digests out        ${result.digestsOut}
records delivered  ${result.delivered} (duplicates ${result.duplicates.length})
lost               ${result.lost.length}
mail               ${outbox.count} .eml + .html files in ${outDir}mail`);
if (result.duplicates.length > 0) console.log(`duplicates: ${result.duplicates.join(', ')}`);
if (result.lost.length > 0 || result.unexpected.length > 0) {
  console.error(
    `lost: ${result.lost.join(', ') || '-'}; unexpected: ${result.unexpected.join(', ') || '-'}`,
  );
  process.exitCode = 1;
}
