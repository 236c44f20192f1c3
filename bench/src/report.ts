/**
 * Turns a bench run into a Markdown report: the Sentry scenario, single adds
 * and batches against the raw limit and the peer (report-tables.ts), digests
 * against their floor (report-digest.ts), the memory add floor and the
 * end-to-end run (report-flow.ts), scale, then the issue-15 Targets table and
 * the end-state checks (report-targets.ts).
 *
 * @module
 */
import type { Throughput } from './measure.js';
import { digestFloorSection } from './report-digest.js';
import { endToEndSection, memoryFloorSection } from './report-flow.js';
import { batchSection, scaleSection, sentrySections } from './report-tables.js';
import { checks, verdicts } from './report-targets.js';
import type { BatchIngestResult } from './scenarios/batch-ingest.js';
import type { DigestFloorResult } from './scenarios/digest-floor.js';
import type { EndToEndResult } from './scenarios/end-to-end.js';
import type { MemoryFloorResult } from './scenarios/memory-floor.js';
import type { PeerResult } from './scenarios/peers.js';
import type { ScaleResult } from './scenarios/scale.js';
import type { SentryScenarioResult } from './scenarios/sentry-scenario.js';
import type { StoreName } from './stores.js';

export { checks, verdicts };

/** What one store ran; a scenario left out (`--only`, `--no-…`) is absent. */
export interface StoreRun {
  readonly sentry?: SentryScenarioResult;
  readonly raw?: { readonly description: string; readonly add: Throughput };
  readonly peer?: PeerResult;
  /** The batch-ingest scenario. */
  readonly batch?: BatchIngestResult;
  /** Digests against the store's digest floor. */
  readonly digest?: DigestFloorResult;
  /** Memory only: adds against codec encode + `Map.set`. */
  readonly memoryFloor?: MemoryFloorResult;
  /** add → DigestWorker → delivery (with BullMQ or the raw add floor beside it). */
  readonly e2e?: EndToEndResult;
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

/** One Targets (or checks) row. */
export interface Verdict {
  readonly target: string;
  /** What was measured for it: `single add`, `batch of 100 (addMany, native)`, a scale size…; absent for end-state checks. */
  readonly form?: string;
  readonly measured: string;
  /** Absent for a figure the issue only asks to report. */
  readonly met?: boolean;
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
  lines.push(...sentrySections(stores));
  lines.push(...batchSection(stores));
  lines.push(
    ...digestFloorSection(stores.flatMap(([, s]) => (s.digest === undefined ? [] : [s.digest]))),
  );
  lines.push(...memoryFloorSection(run.stores.memory));
  lines.push(...endToEndSection(stores));
  lines.push(...scaleSection(run.scale));

  const v = run.verdicts ?? verdicts(run);
  if (v.length > 0) {
    lines.push(
      '',
      '## Targets (issue 15)',
      '',
      'Each row is one target of issue 15, in its order; the form column says what it is measured on (single adds against the single-call raw limit or peer, batches against the batch raw limit, digests one at a time or in flight against the store\'s digest floor, scale sizes, the end-to-end run). Ratios come from this one run; "reported" rows have no target.',
      '',
      '| target | form | measured | |',
      '| --- | --- | ---: | --- |',
    );
    for (const t of v)
      lines.push(`| ${t.target} | ${t.form ?? '—'} | ${t.measured} | ${verdict(t)} |`);
  }
  const c = checks(run);
  if (c.length > 0) {
    lines.push('', '## Checks', '', '| check | measured | |', '| --- | ---: | --- |');
    for (const t of c) lines.push(`| ${t.target} | ${t.measured} | ${verdict(t)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

function verdict(v: Verdict): string {
  return v.met === undefined ? 'reported' : v.met ? 'met' : '**missed**';
}
