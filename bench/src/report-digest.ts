/**
 * The digest-floor part of the report: one table of single digests and
 * in-flight rates, ours against each store's floor, and the issue-15 digest
 * targets as verdicts.
 *
 * @module
 */
import type { DigestFloorResult } from './scenarios/digest-floor.js';
import type { StoreName } from './stores.js';

/** A target verdict row (the same shape as report.ts's): `met` absent for a figure only reported. */
export interface DigestVerdict {
  readonly target: string;
  readonly form: string;
  readonly measured: string;
  readonly met?: boolean;
}

const ORDER: readonly StoreName[] = ['sqlite', 'postgres', 'redis', 'mysql', 'memory'];
const inOrder = (results: readonly DigestFloorResult[]): DigestFloorResult[] =>
  [...results].sort((a, b) => ORDER.indexOf(a.store) - ORDER.indexOf(b.store));

/** Issue 15: one digest ≤ this many times the floor (p50), per store. */
export const DIGEST_SINGLE_TARGET: Partial<Record<StoreName, number>> = {
  sqlite: 2,
  postgres: 2,
  mysql: 2,
  redis: 1.3,
};
/** Issue 15: records/s with 8 digests in flight ≥ this share of the floor's. */
export const DIGEST_IN_FLIGHT_TARGET = 0.5;

/**
 * The digest targets of issue 15 for the stores measured, in the issue's
 * order (one digest, then in flight; memory reported).
 *
 * @example
 * ```ts
 * for (const v of digestVerdicts(results)) console.log(v.target, v.measured, v.met);
 * ```
 */
export function digestVerdicts(all: readonly DigestFloorResult[]): DigestVerdict[] {
  const out: DigestVerdict[] = [];
  const results = inOrder(all);
  for (const r of results) {
    const target = DIGEST_SINGLE_TARGET[r.store];
    const floor = r.single.floor;
    if (floor === undefined) {
      out.push({
        target: `${r.store} one digest of ${count(r.size)} records: reported`,
        form: `one at a time, p50 of ${r.single.ours.samples}`,
        measured: `${ms(r.single.ours.p50)} ms (mean ${ms(r.single.ours.mean)} ms)`,
      });
    } else if (target !== undefined) {
      const ratio = r.single.ours.p50 / floor.p50;
      out.push({
        target: `${r.store} one digest of ${count(r.size)} records ≤ ${target}× the floor`,
        form: `one at a time, p50 of ${r.single.ours.samples}`,
        measured: `${ms(r.single.ours.p50)} / ${ms(floor.p50)} ms = ${ratio.toFixed(2)}×`,
        met: ratio <= target,
      });
    }
  }
  for (const r of results) {
    const floor = r.inFlight.floor;
    if (floor === undefined) {
      out.push({
        target: `${r.store} records digested/s with ${r.concurrency} in flight: reported`,
        form: `${count(r.size)}-record digests, ${r.concurrency} in flight`,
        measured: `${perSecond(r.inFlight.ours.perSecond)}/s`,
      });
      continue;
    }
    const ratio = r.inFlight.ours.perSecond / floor.perSecond;
    out.push({
      target: `${r.store} records digested/s with ${r.concurrency} in flight ≥ ${DIGEST_IN_FLIGHT_TARGET}× the floor`,
      form: `${count(r.size)}-record digests, ${r.concurrency} in flight`,
      measured: `${perSecond(r.inFlight.ours.perSecond)} / ${perSecond(floor.perSecond)} = ${ratio.toFixed(2)}×`,
      met: ratio >= DIGEST_IN_FLIGHT_TARGET,
    });
  }
  return out;
}

/**
 * The digest scenario's counts: ours delivered every record, the floor handed
 * over as many and left nothing.
 *
 * @example
 * ```ts
 * digestChecks(results).every((c) => c.met);
 * ```
 */
export function digestChecks(results: readonly DigestFloorResult[]): DigestVerdict[] {
  const out: DigestVerdict[] = [];
  for (const r of inOrder(results)) {
    const expected = r.single.ours.samples * r.size + r.inFlight.ours.count;
    const floorOk = r.floorLeft === undefined || r.floorLeft === 0;
    out.push({
      target: `${r.store} digest scenario delivers every record (ours and floor) and the floor leaves 0 rows`,
      form: 'counts',
      measured: `ours ${count(r.delivered.ours)}/${count(expected)}${r.delivered.floor === undefined ? '' : `, floor ${count(r.delivered.floor)}, ${r.floorLeft} left`}`,
      met:
        r.delivered.ours === expected &&
        floorOk &&
        (r.delivered.floor === undefined || r.delivered.floor === expected),
    });
  }
  return out;
}

/**
 * The Markdown section for the digest floors.
 *
 * @example
 * ```ts
 * lines.push(...digestFloorSection(results));
 * ```
 */
export function digestFloorSection(results: readonly DigestFloorResult[]): string[] {
  if (results.length === 0) return [];
  const lines: string[] = ['', '## Digests against the raw floor', ''];
  lines.push(
    "One digest of a timeline of N records (`backend.digest(key, fn)`, fn only counting), against the store's floor: the same N records read, decoded with the same codec and deleted with the store's own client, in one transaction or round trip. " +
      'Ours and the floor alternate rep by rep (one at a time) and round by round (in flight), in one process.',
    '',
  );
  lines.push(
    '| store | N | ours p50 / mean (ms) | floor p50 / mean (ms) | ours / floor (p50) | ours / floor (mean) | in flight | ours records/s | floor records/s | ours / floor |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const o = r.single.ours;
    const f = r.single.floor;
    const fo = r.inFlight.floor;
    lines.push(
      `| ${r.store} | ${count(r.size)} | ${ms(o.p50)} / ${ms(o.mean)} | ${f === undefined ? '—' : `${ms(f.p50)} / ${ms(f.mean)}`} | ${f === undefined ? '—' : `${(o.p50 / f.p50).toFixed(2)}×`} | ${f === undefined ? '—' : `${(o.mean / f.mean).toFixed(2)}×`} | ${r.concurrency} | ${perSecond(r.inFlight.ours.perSecond)} | ${fo === undefined ? '—' : perSecond(fo.perSecond)} | ${fo === undefined ? '—' : `${(r.inFlight.ours.perSecond / fo.perSecond).toFixed(2)}×`} |`,
    );
  }
  lines.push('');
  for (const r of results) {
    if (r.floorDescription !== undefined) lines.push(`- ${r.store} floor: ${r.floorDescription}`);
    else lines.push(`- ${r.store}: no store below the backend, reported alone`);
  }
  return lines;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function perSecond(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function ms(n: number): string {
  return n < 10 ? n.toFixed(2) : n.toFixed(1);
}
