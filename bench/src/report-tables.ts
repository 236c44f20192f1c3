/**
 * The Markdown tables of the issue-7 scenarios: the Sentry scenario, single
 * adds and batches against the raw limit and the peer, and scale.
 *
 * @module
 */
import type { StoreRun } from './report.js';
import type { ScaleResult } from './scenarios/scale.js';
import type { StoreName } from './stores.js';

/**
 * The Sentry-scenario and single-add tables, for the stores that ran the Sentry scenario.
 *
 * @example
 * ```ts
 * lines.push(...sentrySections(Object.entries(run.stores)));
 * ```
 */
export function sentrySections(all: readonly (readonly [StoreName, StoreRun])[]): string[] {
  const stores = all.filter(([, s]) => s.sentry !== undefined);
  if (stores.length === 0) return [];
  const lines: string[] = ['', '## Sentry scenario', ''];
  lines.push(
    'Load N records into M timelines, maintenance (ready → waiting), schedule, digest every timeline, schedule again after the backoff, digest again (empty), count what is left.',
    '',
  );
  lines.push(
    '| store | N × M, C | add/s | schedule entries/s | digests/s | digest p50 / p99 (ms) | 2nd schedule/s | 2nd digests/s | delivered | leftover |',
  );
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, { sentry }] of stores) {
    const s = sentry!;
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
    const ours = s.sentry!.add.perSecond;
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
  return lines;
}

/**
 * The batch-ingest table.
 *
 * @example
 * ```ts
 * lines.push(...batchSection(Object.entries(run.stores)));
 * ```
 */
export function batchSection(stores: readonly (readonly [StoreName, StoreRun])[]): string[] {
  const batches = stores.flatMap(([name, s]) =>
    s.batch === undefined ? [] : [[name, s.batch, s.sentry?.add.perSecond] as const],
  );
  if (batches.length === 0) return [];
  const lines: string[] = [
    '',
    '## Batch ingest: ours (addMany) vs the raw store limit vs the peer, in batches',
    '',
  ];
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
  for (const [name, b, single] of batches) {
    const ours = b.ours.perSecond;
    lines.push(
      `| ${name} | ${count(b.records)} × ${count(b.timelines)}, ${b.concurrency}, ${b.batch} | ${b.native ? 'native' : 'fallback (add)'} | ${perSecond(ours)} | ${b.raw === undefined ? '—' : perSecond(b.raw.add.perSecond)} | ${b.raw === undefined ? '—' : `${(ours / b.raw.add.perSecond).toFixed(2)}×`} | ${b.peer?.name ?? '—'} | ${b.peer === undefined ? '—' : perSecond(b.peer.add.perSecond)} | ${b.peer === undefined ? '—' : `${(ours / b.peer.add.perSecond).toFixed(2)}×`} | ${single === undefined ? '—' : `${(ours / single).toFixed(2)}×`} |`,
    );
  }
  lines.push('');
  for (const [name, b] of batches) {
    if (b.raw !== undefined) lines.push(`- ${name} raw, batch: ${b.raw.description}`);
    if (b.peer !== undefined) lines.push(`- ${name} peer, batch: ${b.peer.description}`);
  }
  return lines;
}

/**
 * The scale table.
 *
 * @example
 * ```ts
 * lines.push(...scaleSection(run.scale));
 * ```
 */
export function scaleSection(scale: readonly ScaleResult[]): string[] {
  if (scale.length === 0) return [];
  const lines: string[] = ['', '## Scale: 1 000 vs many timelines', ''];
  lines.push(
    "Each size is filled through core `addMany` (1 000 entries per call), then `maintenance(+∞)` makes every timeline waiting; the fill column gives the large fill's time. A backend without a native `addMany` is filled through `add` and its large size capped. Both sizes stay open; add (single calls, into existing timelines) and schedule (of the next due keys) alternate between them in rounds, so both see the same machine.",
    '',
  );
  lines.push(
    '| store | small T | add/s | schedule entries/s | large T | fill | add/s | schedule entries/s | add cost ×  | schedule cost × |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |');
  for (const s of scale) {
    const fill = `${(s.large.fillMs / 1000).toFixed(1)} s, ${s.large.fill === 'addMany' ? 'native addMany' : 'add (no native addMany)'}`;
    lines.push(
      `| ${s.store} | ${count(s.small.timelines)} | ${perSecond(s.small.add.perSecond)} | ${perSecond(s.small.schedule.perSecond)} (${count(s.small.due)} due) | ${count(s.large.timelines)} | ${fill} | ${perSecond(s.large.add.perSecond)} | ${perSecond(s.large.schedule.perSecond)} (${count(s.large.due)} due) | ${s.addCostRatio.toFixed(2)} | ${s.scheduleCostRatio.toFixed(2)} |`,
    );
  }
  return lines;
}

/** `1,000`. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A rate, rounded: `12,345`. */
export function perSecond(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Milliseconds: two decimals under 10, else none. */
export function ms(n: number): string {
  return n < 10 ? n.toFixed(2) : n.toFixed(0);
}
