/**
 * The issue-15 targets, row for row in the order, each with the form
 * it is measured on, the measured ratio and met / missed (or "reported" for
 * a figure with no target); and the end-state checks (nothing left, every
 * record delivered).
 *
 * @module
 */
import type { Throughput } from './measure.js';
import type { BenchRun, StoreRun, Verdict } from './report.js';
import { digestChecks, digestVerdicts } from './report-digest.js';
import { bestBullmq } from './report-flow.js';
import { count, perSecond } from './report-tables.js';
import type { BatchIngestResult } from './scenarios/batch-ingest.js';
import type { StoreName } from './stores.js';

const ratio = (ours: Throughput, other: Throughput): number => ours.perSecond / other.perSecond;
const times = (r: number): string => `${r.toFixed(2)}×`;

/** `ours/s vs other/s = r×`, at least `target`. */
function atLeast(
  target: string,
  form: string,
  ours: Throughput,
  other: Throughput,
  min: number,
): Verdict {
  const r = ratio(ours, other);
  return {
    target,
    form,
    measured: `${perSecond(ours.perSecond)} / ${perSecond(other.perSecond)} = ${times(r)}`,
    met: r >= min,
  };
}

/** A note when the large scale size is below the target's 1 M. */
function smaller(timelines: number): string {
  return timelines < 1_000_000 ? ' (below the target’s 1 M)' : '';
}

function batchForm(b: BatchIngestResult): string {
  return `batch of ${count(b.batch)} (addMany, ${b.native ? 'native' : 'fallback'})`;
}

/**
 * The issue-15 targets for what this run measured.
 *
 * @example
 * ```ts
 * for (const v of verdicts(run)) console.log(v.met === undefined ? 'reported' : v.met ? 'met' : 'MISSED', v.target);
 * ```
 */
export function verdicts(run: BenchRun): Verdict[] {
  const out: Verdict[] = [];
  const store = (name: StoreName): StoreRun | undefined => run.stores[name];
  const digests = Object.values(run.stores).flatMap((s) => (s?.digest ? [s.digest] : []));
  out.push(...digestVerdicts(digests));

  const single = 'single add';
  const sentryVsRaw = (name: StoreName, min: number) => {
    const s = store(name);
    if (s?.sentry !== undefined && s.raw !== undefined) {
      out.push(
        atLeast(
          `${name} add / raw ≥ ${min}×`,
          `${single} (${s.raw.description})`,
          s.sentry.add,
          s.raw.add,
          min,
        ),
      );
    }
  };
  const batchVsRaw = (name: StoreName, min: number) => {
    const b = store(name)?.batch;
    if (b?.raw !== undefined) {
      out.push(
        atLeast(`${name} addMany / raw batch ≥ ${min}×`, batchForm(b), b.ours, b.raw.add, min),
      );
    }
  };
  const sentryVsPeer = (name: StoreName, min: number) => {
    const s = store(name);
    if (s?.sentry !== undefined && s.peer !== undefined) {
      out.push(
        atLeast(
          `${name} add / ${s.peer.name} ${s.peer.name === 'pg-boss' ? 'send' : 'add'} ≥ ${min}×`,
          `${single} (${s.peer.description})`,
          s.sentry.add,
          s.peer.add,
          min,
        ),
      );
    }
  };
  sentryVsRaw('sqlite', 0.6);
  batchVsRaw('sqlite', 0.5);
  sentryVsRaw('postgres', 0.7);
  sentryVsPeer('postgres', 3);
  batchVsRaw('postgres', 0.5);
  sentryVsRaw('redis', 0.8);
  sentryVsPeer('redis', 2.5);

  const memoryFloor = store('memory')?.memoryFloor;
  if (memoryFloor !== undefined) {
    out.push(
      atLeast(
        'memory add / its floor ≥ 0.8×',
        `${single}, ${memoryFloor.rounds} alternating rounds`,
        memoryFloor.ours,
        memoryFloor.floor,
        0.8,
      ),
    );
  }

  const sqliteScale = run.scale.find((s) => s.store === 'sqlite');
  if (sqliteScale !== undefined) {
    out.push({
      target: 'sqlite schedule cost at 1 M timelines ÷ at 1 k ≤ 1.5×',
      form: `${count(sqliteScale.large.timelines)} vs ${count(sqliteScale.small.timelines)} timelines${smaller(sqliteScale.large.timelines)}, ${count(sqliteScale.large.due)} due`,
      measured: times(sqliteScale.scheduleCostRatio),
      met: sqliteScale.scheduleCostRatio <= 1.5,
    });
  }
  for (const s of run.scale) {
    out.push({
      target: `${s.store} add cost at 1 M timelines ÷ at 1 k ≤ 1.5×`,
      form: `${single}, ${count(s.large.timelines)} vs ${count(s.small.timelines)} timelines${smaller(s.large.timelines)}`,
      measured: times(s.addCostRatio),
      met: s.addCostRatio <= 1.5,
    });
  }

  for (const [name, s] of Object.entries(run.stores) as [StoreName, StoreRun][]) {
    const e = s.e2e;
    if (e === undefined) continue;
    const form = `end to end, ${count(e.records)} records over ${count(e.keys)} keys, delays 0`;
    const best = bestBullmq(e);
    if (best !== undefined) {
      const r = e.ours.perSecond / best.perSecond;
      out.push({
        target: `${name} end to end ≥ 2× BullMQ worker jobs/s`,
        form: `${form}; BullMQ best of concurrency ${e.bullmq!.map((b) => b.concurrency).join('/')} (${best.concurrency})`,
        measured: `${perSecond(e.ours.perSecond)} / ${perSecond(best.perSecond)} = ${times(r)}`,
        met: r >= 2,
      });
    } else if (e.raw !== undefined) {
      out.push(
        atLeast(
          `${name} end to end ≥ 0.5× raw add floor`,
          `${form}; raw: ${e.raw.description}`,
          e.ours,
          e.raw.add,
          0.5,
        ),
      );
    } else {
      out.push({
        target: `${name} end to end: reported`,
        form,
        measured: `${perSecond(e.ours.perSecond)}/s`,
      });
    }
  }
  return out;
}

/**
 * The end-state checks: every scenario left nothing behind and delivered every record.
 *
 * @example
 * ```ts
 * checks(run).every((c) => c.met);
 * ```
 */
export function checks(run: BenchRun): Verdict[] {
  const out: Verdict[] = [];
  for (const [name, store] of Object.entries(run.stores) as [StoreName, StoreRun][]) {
    const s = store.sentry;
    if (s !== undefined) {
      out.push({
        target: `${name} Sentry scenario leaves 0 keys/rows and delivers every record`,
        measured: `${s.leftover} left, ${count(s.delivered)}/${count(s.records)} delivered`,
        met: s.leftover === 0 && s.delivered === s.records,
      });
    }
    if (store.e2e !== undefined) {
      out.push({
        target: `${name} end to end delivers every record`,
        measured: `${count(store.e2e.delivered)}/${count(store.e2e.records)}`,
        met: store.e2e.delivered === store.e2e.records,
      });
    }
  }
  const digests = Object.values(run.stores).flatMap((s) => (s?.digest ? [s.digest] : []));
  out.push(...digestChecks(digests));
  return out;
}
