/**
 * The Markdown tables of the memory add floor and the end-to-end run
 * (`add` → `DigestWorker` → delivery, next to BullMQ and the raw add floor).
 *
 * @module
 */
import type { StoreRun } from './report.js';
import { count, perSecond } from './report-tables.js';
import type { EndToEndResult } from './scenarios/end-to-end.js';
import type { StoreName } from './stores.js';

/** The best BullMQ figure of an end-to-end run, if it has one. */
export function bestBullmq(
  e2e: EndToEndResult,
): { readonly concurrency: number; readonly perSecond: number } | undefined {
  let best: { concurrency: number; perSecond: number } | undefined;
  for (const { concurrency, jobs } of e2e.bullmq ?? []) {
    if (best === undefined || jobs.perSecond > best.perSecond) {
      best = { concurrency, perSecond: jobs.perSecond };
    }
  }
  return best;
}

/**
 * The memory add floor table.
 *
 * @example
 * ```ts
 * lines.push(...memoryFloorSection(run.stores.memory));
 * ```
 */
export function memoryFloorSection(memory: StoreRun | undefined): string[] {
  const f = memory?.memoryFloor;
  if (f === undefined) return [];
  const lines: string[] = ['', '## Memory add against its floor', ''];
  lines.push(
    `Ours is \`backend.add\` on the memory backend; the floor: ${f.description}. ${count(f.records)} records into ${count(f.timelines)} timelines per round, ${f.concurrency} in flight, ${f.rounds} rounds per side, alternating.`,
    '',
    '| ours adds/s | floor adds/s | ours / floor | per-round ratios |',
    '| ---: | ---: | ---: | --- |',
    `| ${perSecond(f.ours.perSecond)} | ${perSecond(f.floor.perSecond)} | ${(f.ours.perSecond / f.floor.perSecond).toFixed(2)}× | ${f.roundRatios.map((r) => r.toFixed(2)).join(', ')} |`,
  );
  return lines;
}

/**
 * The end-to-end table.
 *
 * @example
 * ```ts
 * lines.push(...endToEndSection(Object.entries(run.stores)));
 * ```
 */
export function endToEndSection(stores: readonly (readonly [StoreName, StoreRun])[]): string[] {
  const runs = stores.flatMap(([, s]) => (s.e2e === undefined ? [] : [s.e2e]));
  if (runs.length === 0) return [];
  const first = runs[0]!;
  const lines: string[] = ['', '## End to end: add → DigestWorker → delivery', ''];
  lines.push(
    `${count(first.records)} records over ${count(first.keys)} keys, added by ${first.concurrency} lanes through \`worker.add\`, every delay 0 (a record is due at once), a \`DigestWorker\` passing every 10 ms at concurrency ${first.concurrency}; records per second from the first add to the last delivery. ` +
      'Redis: a BullMQ Worker on the same server processing the same number of jobs added by the same lanes, at each concurrency (the best counts). SQL stores: the raw add floor (single form) for the same records, keys and lanes.',
    '',
    '| store | ours records/s | delivered | BullMQ jobs/s (concurrency) | ours / best BullMQ | raw add/s | ours / raw add |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: |',
  );
  for (const e of runs) {
    const best = bestBullmq(e);
    const bull =
      e.bullmq === undefined
        ? '—'
        : e.bullmq.map((b) => `${perSecond(b.jobs.perSecond)} (${b.concurrency})`).join(', ');
    lines.push(
      `| ${e.store} | ${perSecond(e.ours.perSecond)} | ${count(e.delivered)}/${count(e.records)} | ${bull} | ${best === undefined ? '—' : `${(e.ours.perSecond / best.perSecond).toFixed(2)}×`} | ${e.raw === undefined ? '—' : perSecond(e.raw.add.perSecond)} | ${e.raw === undefined ? '—' : `${(e.ours.perSecond / e.raw.add.perSecond).toFixed(2)}×`} |`,
    );
  }
  return lines;
}
