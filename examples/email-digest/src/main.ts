/**
 * The main example (`npm start`): three simulated hours of alert events over
 * six projects go through a `DigestWorker` on the configured store (a SQLite
 * file by default). Each project window becomes one digest, summarised the
 * way Sentry's digest email is, printed, and written to `out/mail` as `.eml`
 * and `.html`. One team (`mail.config.json`) gets its digests on a calendar
 * window, weekdays at 09:00 in Berlin, instead of the backoff delays. At the
 * end, every event id added is checked against every record id delivered.
 *
 * `npm start -- --metrics[=PORT]` also serves the worker's metrics on a
 * Prometheus `/metrics` endpoint (default port 9464) and keeps serving after
 * the run until Ctrl-C.
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
  type KeyOptionsSource,
  TOKENS,
} from '@digests/core';
import { SimulatedClock } from './clock.js';
import { describeStore, loadExampleConfig } from './config.js';
import type { DigestMail, MailLinks } from './digest-mail.js';
import { type AlertEvent, generateEvents, PROJECTS, type Project } from './events.js';
import { fillLink, loadMailConfig } from './mail-config.js';
import { metricsFlag, startMetricsEndpoint } from './metrics-endpoint.js';
import { Outbox } from './outbox.js';
import { renderBrief } from './render-text.js';
import { summarize } from './summary.js';
import { Tally } from './tally.js';

/** Friday 14 March 2025, 06:00 UTC: 07:00 in Berlin, two hours before the calendar team's window. */
const START = Date.UTC(2025, 2, 14, 6, 0, 0);
const HOURS = 3;
/** How often (simulated) the worker runs a pass: its `interval`. */
const TICK_MS = 30_000;
const keyOf = (projectId: number) => `mail:p:${projectId}`;

const outDir = fileURLToPath(new URL('../out/', import.meta.url));
await mkdir(outDir, { recursive: true });
const config = await loadExampleConfig(new URL('../digests.config.json', import.meta.url));
const mailConfig = await loadMailConfig(new URL('../mail.config.json', import.meta.url));
const metricsPort = metricsFlag(process.argv.slice(2));
const metrics = metricsPort === undefined ? undefined : await startMetricsEndpoint(metricsPort);
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
const projectOf = (key: string): Project => PROJECTS.find(({ id }) => keyOf(id) === key)!;
// Teams listed in mail.config.json get their window; the others the backoff delays.
const teamWindows: KeyOptionsSource = {
  forKey: async (key) => {
    const team = mailConfig.teams[projectOf(key).team];
    return team === undefined ? { enabled: true } : { enabled: true, window: team.window };
  },
};
const worker = new DigestWorker<AlertEvent>({
  backend,
  deliver,
  clock: clock.now,
  logger,
  options: teamWindows,
  ...(metrics === undefined ? {} : { meterProvider: metrics.meterProvider }),
});

function linksOf(project: Project): MailLinks {
  const values = { project: project.slug, team: project.team };
  const { links } = mailConfig;
  return {
    issue: (issue) => fillLink(links.issue, { ...values, issue }),
    settings: fillLink(links.settings, values),
    unsubscribe: fillLink(links.unsubscribe, values),
  };
}

async function deliver({ key, records, digestId }: Delivery<AlertEvent>): Promise<void> {
  const project = projectOf(key);
  const schedule = mailConfig.teams[project.team]?.label;
  const mail: DigestMail = {
    project,
    summary: summarize(records),
    digestId,
    key,
    sentAt: clock.now(),
    links: linksOf(project),
    ...(schedule === undefined ? {} : { schedule }),
  };
  await outbox.write(mail);
  tally.digest(records.map((record) => record.key));
  const [head, ...rest] = renderBrief(mail).split('\n');
  const berlin =
    schedule === undefined ? '' : `  · ${berlinTime(mail.sentAt)} in Berlin (${schedule})`;
  console.log([`${when(mail.sentAt)}  ${head}${berlin}`, ...rest].join('\n'));
}

/** `09:12:30`, with the day in front once the run has left its first day. */
function when(time: number): string {
  const clockTime = new Date(time).toISOString().slice(11, 19);
  if (Math.floor(time / 86_400_000) === Math.floor(START / 86_400_000)) return clockTime;
  const day = new Date(time).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
  return `${day} ${clockTime}`;
}

function berlinTime(time: number): string {
  return new Date(time).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Berlin',
  });
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
  console.log(`──── ${when(clock.now())} · ${eventsIn} events in · ${digestsOut} digests out ────`);
}

const events = generateEvents({ seed: 2025, start: START, durationMs: HOURS * 3_600_000 });
const began = performance.now();
const calendarTeams = Object.entries(mailConfig.teams)
  .map(([team, { label }]) => `team ${team} ${label}`)
  .join(', ');
console.log(
  `digests email example: ${events.length} events, ${PROJECTS.length} projects, ${HOURS} simulated hours from ${when(START)} UTC, store ${describeStore(config, fileURLToPath(new URL('..', import.meta.url)))}${calendarTeams === '' ? '' : `; ${calendarTeams}`}\n`,
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
// Quiet stretches (a weekend before the calendar team's Monday window) are
// skipped: the clock jumps to the tick of the next due key.
const keys = PROJECTS.map(({ id }) => keyOf(id));
for (;;) {
  const infos = await Promise.all(keys.map((key) => backend.inspect(key)));
  if (infos.every(({ size }) => size === 0)) break;
  const due = Math.min(...infos.map(({ score }) => score ?? Number.POSITIVE_INFINITY));
  const dueTick = START + Math.ceil((due - START) / TICK_MS) * TICK_MS;
  if (dueTick > nextTick + 3_600_000) {
    console.log(`…quiet until ${when(dueTick)} UTC`);
    nextTick = dueTick;
  }
  await advanceTo(Math.max(clock.now() + TICK_MS, nextTick));
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
if (metrics !== undefined) {
  console.log(`metrics            ${metrics.url} (Ctrl-C to stop)`);
  await metrics.untilInterrupted();
}
