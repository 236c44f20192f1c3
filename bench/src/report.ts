/**
 * Turns a bench run into verdicts and a Markdown report: the Sentry scenario
 * per store, ours vs the raw store limit vs the peer (as ratios) for single
 * adds and for batches, the scale ratios, and each issue-7 target with
 * met / missed and the form (single add or batch) it was measured in.
 *
 * @module
 */
import type { Throughput } from './measure.js';
import type { BatchIngestResult } from './scenarios/batch-ingest.js';
import type { PeerResult } from './scenarios/peers.js';
import type { ScaleResult } from './scenarios/scale.js';
import type { SentryScenarioResult } from './scenarios/sentry-scenario.js';
import type { StoreName } from './stores.js';

export interface StoreRun {
  readonly sentry: SentryScenarioResult;
  readonly raw?: { readonly description: string; readonly add: Throughput };
  readonly peer?: PeerResult;
  /** The batch-ingest scenario (absent with --no-batch). */
  readonly batch?: BatchIngestResult;
}

export interface BenchRun {
  readonly date: string;
  readonly node: string;
  /** Whether @digests/* came from `src` (tsx) or `dist` (built). */
  readonly packages: 'source' | 'dist';
  readonly machine: {
    readonly cpus: number;
    readonly model: string;
    readonly loadBefore: readonly number[];
    readonly loadAfter: readonly number[];
  };
  readonly config: Readonly<Record<string, unknown>>;
  readonly stores: Partial<Record<StoreName, StoreRun>>;
  readonly skipped: Readonly<Record<string, string>>;
  readonly scale: readonly ScaleResult[];
  verdicts?: readonly Verdict[];
}

export interface Verdict {
  readonly target: string;
  /** What was measured for it: `single add`, `batch of 100 (addMany, native)`, a scale size…; absent for end-state checks. */
  readonly form?: string;
  readonly measured: string;
  readonly met: boolean;
}

/**
 * The issue-7 targets, for the stores this run measured.
 *
 * @example
 * ```ts
 * for (const v of verdicts(run)) console.log(v.met ? 'met' : 'MISSED', v.target);
 * ```
 */
export function verdicts(run: BenchRun): Verdict[] {
  const out: Verdict[] = [];
  const ratio = (ours: Throughput, other: Throughput) => ours.perSecond / other.perSecond;
  const memory = run.stores.memory;
  if (memory !== undefined) {
    const rate = memory.sentry.add.perSecond;
    const cpuMs = memory.sentry.add.cpuMs;
    const perCpu = cpuMs === undefined ? undefined : (memory.sentry.add.count / cpuMs) * 1000;
    out.push({
      target: 'memory add ≥ 1 000 000/s',
      form: 'single add',
      measured: `${perSecond(rate)}/s wall${perCpu === undefined ? '' : `, ${perSecond(perCpu)} per CPU-second`}`,
      met: rate >= 1e6,
    });
  }
  for (const name of ['redis', 'postgres', 'sqlite', 'mysql'] as const) {
    const store = run.stores[name];
    if (store === undefined) continue;
    const single = 'single add';
    if (store.raw !== undefined) {
      const r = ratio(store.sentry.add, store.raw.add);
      out.push({
        target: `${name} add ≥ 0.5× raw`,
        form: single,
        measured: `${r.toFixed(2)}×`,
        met: r >= 0.5,
      });
    }
    if (store.peer !== undefined) {
      const r = ratio(store.sentry.add, store.peer.add);
      out.push({
        target: `${name} add ≥ 2× ${store.peer.name}`,
        form: single,
        measured: `${r.toFixed(2)}×`,
        met: r >= 2,
      });
    }
  }
  for (const name of ['redis', 'postgres', 'sqlite', 'mysql'] as const) {
    const batch = run.stores[name]?.batch;
    if (batch === undefined) continue;
    const form = batchForm(batch);
    if (batch.raw !== undefined) {
      const r = ratio(batch.ours, batch.raw.add);
      out.push({
        target: `${name} add ≥ 0.5× raw`,
        form,
        measured: `${r.toFixed(2)}×`,
        met: r >= 0.5,
      });
    }
    if (batch.peer !== undefined) {
      const r = ratio(batch.ours, batch.peer.add);
      out.push({
        target: `${name} add ≥ 2× ${batch.peer.name}`,
        form,
        measured: `${r.toFixed(2)}×`,
        met: r >= 2,
      });
    }
  }
  for (const scale of run.scale) {
    out.push({
      target: `${scale.store} add cost at ${count(scale.large.timelines)} timelines ≤ 1.5× at ${count(scale.small.timelines)}`,
      form: 'single add',
      measured: `${scale.addCostRatio.toFixed(2)}×`,
      met: scale.addCostRatio <= 1.5,
    });
  }
  for (const [name, store] of Object.entries(run.stores)) {
    out.push({
      target: `${name} leaves 0 keys/rows and delivers every record`,
      measured: `${store.sentry.leftover} left, ${count(store.sentry.delivered)}/${count(store.sentry.records)} delivered`,
      met: store.sentry.leftover === 0 && store.sentry.delivered === store.sentry.records,
    });
  }
  return out;
}

/**
 * The Markdown report (`bench/results/latest.md`).
 *
 * @example
 * ```ts
 * writeFileSync('results/latest.md', markdown(run));
 * ```
 */
export function markdown(run: BenchRun): string {
  const lines: string[] = [];
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' ');
  lines.push(`# digests benchmark — ${run.date}`);
  lines.push('');
  lines.push(
    `Node ${run.node}, ${run.machine.cpus} × ${run.machine.model}; load average ${load(run.machine.loadBefore)} before, ${load(run.machine.loadAfter)} after. ` +
      `Packages from \`${run.packages}\`. Config: \`${JSON.stringify(run.config)}\`.`,
  );
  if (run.machine.loadBefore[0]! > run.machine.cpus * 0.5) {
    lines.push('');
    lines.push(
      `> **The machine was busy (load ${load(run.machine.loadBefore)} on ${run.machine.cpus} CPUs)**: absolute figures are low and noisy; ratios measured minutes apart are more meaningful than absolutes.`,
    );
  }
  for (const [name, reason] of Object.entries(run.skipped)) {
    lines.push('', `Skipped ${name}: ${reason}`);
  }

  const stores = Object.entries(run.stores) as [StoreName, StoreRun][];
  if (stores.length > 0) {
    lines.push('', '## Sentry scenario', '');
    lines.push(
      'Load N records into M timelines, maintenance (ready → waiting), schedule, digest every timeline, schedule again after the backoff, digest again (empty), count what is left.',
      '',
    );
    lines.push(
      '| store | N × M, C | add/s | schedule entries/s | digests/s | digest p50 / p99 (ms) | 2nd schedule/s | 2nd digests/s | delivered | leftover |',
    );
    lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, { sentry: s }] of stores) {
      const per = Math.round(s.records / s.timelines);
      lines.push(
        `| ${name} | ${count(s.records)} × ${count(s.timelines)}, ${s.concurrency} | ${perSecond(s.add.perSecond)} | ${perSecond(s.schedule.perSecond)} | ${perSecond(s.digest.perSecond)} | ${ms(s.digestLatency.p50)} / ${ms(s.digestLatency.p99)} (${count(per)} records) | ${perSecond(s.scheduleAgain.perSecond)} | ${perSecond(s.digestAgain.perSecond)} | ${count(s.delivered)} | ${s.leftover} |`,
      );
    }

    lines.push('', '## Single adds: ours vs the raw store limit vs the peer', '');
    lines.push('Same records, same timelines, same concurrency, same connection/pool.', '');
    lines.push('| store | ours add/s | raw add/s | ours / raw | peer | peer add/s | ours / peer |');
    lines.push('| --- | ---: | ---: | ---: | --- | ---: | ---: |');
    for (const [name, s] of stores) {
      const ours = s.sentry.add.perSecond;
      const raw = s.raw === undefined ? '—' : perSecond(s.raw.add.perSecond);
      const rawRatio = s.raw === undefined ? '—' : `${(ours / s.raw.add.perSecond).toFixed(2)}×`;
      const peer = s.peer === undefined ? '—' : perSecond(s.peer.add.perSecond);
      const peerRatio = s.peer === undefined ? '—' : `${(ours / s.peer.add.perSecond).toFixed(2)}×`;
      lines.push(
        `| ${name} | ${perSecond(ours)} | ${raw} | ${rawRatio} | ${s.peer?.name ?? '—'} | ${peer} | ${peerRatio} |`,
      );
    }
    lines.push('');
    for (const [name, s] of stores) {
      if (s.raw !== undefined) lines.push(`- ${name} raw: ${s.raw.description}`);
      if (s.peer !== undefined) lines.push(`- ${name} peer: ${s.peer.description}`);
    }
  }

  const batches = stores.flatMap(([name, s]) =>
    s.batch === undefined ? [] : [[name, s.batch] as const],
  );
  if (batches.length > 0) {
    lines.push(
      '',
      '## Batch ingest: ours (addMany) vs the raw store limit vs the peer, in batches',
      '',
    );
    lines.push(
      `The same N records into the same M timelines at the same concurrency as above, ${batches[0]![1].batch} records per call; every figure counts records per second. ` +
        'Ours is core `addMany`: the backend\'s native batch when it has one, else `add` entry by entry (the "addMany" column says which). ' +
        'Every timeline is inspected afterwards: ours kept all N records.',
      '',
    );
    lines.push(
      '| store | N × M, C, batch | addMany | ours records/s | raw records/s | ours / raw | peer | peer records/s | ours / peer | ours batch / single |',
    );
    lines.push('| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |');
    for (const [name, b] of batches) {
      const ours = b.ours.perSecond;
      const single = run.stores[name]!.sentry.add.perSecond;
      lines.push(
        `| ${name} | ${count(b.records)} × ${count(b.timelines)}, ${b.concurrency}, ${b.batch} | ${b.native ? 'native' : 'fallback (add)'} | ${perSecond(ours)} | ${b.raw === undefined ? '—' : perSecond(b.raw.add.perSecond)} | ${b.raw === undefined ? '—' : `${(ours / b.raw.add.perSecond).toFixed(2)}×`} | ${b.peer?.name ?? '—'} | ${b.peer === undefined ? '—' : perSecond(b.peer.add.perSecond)} | ${b.peer === undefined ? '—' : `${(ours / b.peer.add.perSecond).toFixed(2)}×`} | ${(ours / single).toFixed(2)}× |`,
      );
    }
    lines.push('');
    for (const [name, b] of batches) {
      if (b.raw !== undefined) lines.push(`- ${name} raw, batch: ${b.raw.description}`);
      if (b.peer !== undefined) lines.push(`- ${name} peer, batch: ${b.peer.description}`);
    }
  }

  if (run.scale.length > 0) {
    lines.push('', '## Scale: 1 000 vs many timelines', '');
    lines.push(
      "Each size is filled through core `addMany` (1 000 entries per call), then `maintenance(+∞)` makes every timeline waiting; the fill column gives the large fill's time. A backend without a native `addMany` is filled through `add` and its large size capped. add and schedule are measured with single calls.",
      '',
    );
    lines.push(
      '| store | small T | add/s | schedule entries/s | large T | fill | add/s | schedule entries/s | add cost ×  | schedule cost × |',
    );
    lines.push('| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |');
    for (const s of run.scale) {
      const fill = `${(s.large.fillMs / 1000).toFixed(1)} s, ${s.large.fill === 'addMany' ? 'native addMany' : 'add (no native addMany)'}`;
      lines.push(
        `| ${s.store} | ${count(s.small.timelines)} | ${perSecond(s.small.add.perSecond)} | ${perSecond(s.small.schedule.perSecond)} (${count(s.small.due)} due) | ${count(s.large.timelines)} | ${fill} | ${perSecond(s.large.add.perSecond)} | ${perSecond(s.large.schedule.perSecond)} (${count(s.large.due)} due) | ${s.addCostRatio.toFixed(2)} | ${s.scheduleCostRatio.toFixed(2)} |`,
      );
    }
  }

  const v = run.verdicts ?? verdicts(run);
  if (v.length > 0) {
    lines.push(
      '',
      '## Targets',
      '',
      "The form column says what each verdict is measured on: single adds (the Sentry scenario against the single-call raw limit and peer) or batches (addMany against the batch raw limit and the peer's batch API).",
      '',
      '| target | form | measured | |',
      '| --- | --- | ---: | --- |',
    );
    for (const t of v)
      lines.push(
        `| ${t.target} | ${t.form ?? '—'} | ${t.measured} | ${t.met ? 'met' : '**missed**'} |`,
      );
  }
  lines.push('');
  return lines.join('\n');
}

/** `batch of 100 (addMany, native)`. */
function batchForm(b: BatchIngestResult): string {
  return `batch of ${count(b.batch)} (addMany, ${b.native ? 'native' : 'fallback'})`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function perSecond(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function ms(n: number): string {
  return n < 10 ? n.toFixed(2) : n.toFixed(0);
}
