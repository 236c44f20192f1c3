import { describe, it } from 'vitest';
import { addManyCases } from './add-many.js';
import { addScheduleCases } from './add-schedule.js';
import { atomicityCases } from './atomicity.js';
import { badInputCases } from './bad-input.js';
import { capacityCases } from './capacity.js';
import { closeCases } from './close.js';
import { concurrencyCases } from './concurrency.js';
import { digestCases } from './digest.js';
import { dueAtCases } from './due-at.js';
import { flushThresholdCases } from './flush-threshold.js';
import { type InputFuzzingOptions, runInputFuzzing } from './fuzz.js';
import { Harness } from './harness.js';
import { inspectFlushDeleteCases } from './inspect-flush-delete.js';
import { keyCases } from './keys.js';
import { largeCases } from './large.js';
import { leaseCases } from './leases.js';
import { limitCases } from './limit.js';
import { listCases } from './list.js';
import { maintenanceCases } from './maintenance.js';
import { runModelBasedConformance } from './model-based.js';
import type { ModelBasedOptions } from './model-commands.js';
import { optionCases } from './options.js';
import { peekCases } from './peek.js';
import { quarantineCases } from './quarantine.js';
import { removeCases } from './remove.js';
import type { CaseName } from './rules.js';
import { scheduleCases } from './schedule.js';
import { backendTarget, type ConformanceTarget, type KitTarget } from './target.js';
import { ttlCases } from './ttl.js';

/**
 * The groups, by name, in the order they run.
 *
 * @example
 * ```ts
 * runConformance(target, { groups: ['add', 'digest'] }); // names from CONFORMANCE_GROUPS
 * ```
 */
export const CONFORMANCE_GROUPS = {
  add: addScheduleCases,
  'add many': addManyCases,
  'due at': dueAtCases,
  'flush threshold': flushThresholdCases,
  atomicity: atomicityCases,
  schedule: scheduleCases,
  digest: digestCases,
  limit: limitCases,
  quarantine: quarantineCases,
  leases: leaseCases,
  maintenance: maintenanceCases,
  ttl: ttlCases,
  capacity: capacityCases,
  'inspect, flush, delete': inspectFlushDeleteCases,
  remove: removeCases,
  list: listCases,
  peek: peekCases,
  keys: keyCases,
  'bad input': badInputCases,
  options: optionCases,
  close: closeCases,
  large: largeCases,
  concurrency: concurrencyCases,
} as const;

/**
 * A group of cases, by name.
 *
 * @example
 * ```ts
 * const group: ConformanceGroup = 'leases';
 * ```
 */
export type ConformanceGroup = keyof typeof CONFORMANCE_GROUPS;

/**
 * Which cases {@link runBackendConformance} registers.
 *
 * @example
 * ```ts
 * const options: CaseSelection = { groups: ['add', 'digest'], skip: ['lease.1: the lease is renewed while fn runs'] };
 * ```
 */
export interface CaseSelection {
  /** Only these groups (default: every group). */
  readonly groups?: readonly ConformanceGroup[];
  /** Case titles to leave out, added to the target's own `skip`. */
  readonly skip?: readonly CaseName[];
}

/**
 * Registers the contract cases for `target` as vitest `describe` blocks, one
 * per group; every case title starts with the rule id it checks. Call it at
 * the top level of a test file. A `skip` entry that names no case fails the
 * run (a renamed case must not silently run again, nor a typo skip nothing).
 *
 * @example
 * ```ts
 * import { runBackendConformance } from '@digests/conformance';
 * import { MemoryBackend } from '@digests/memory';
 *
 * runBackendConformance({ name: 'memory', create: async (options) => new MemoryBackend(options) });
 * ```
 */
export function runBackendConformance(target: KitTarget, selection: CaseSelection = {}): void {
  const base = backendTarget(target);
  const skip = [...(base.skip ?? []), ...(selection.skip ?? [])];
  const resolved: ConformanceTarget = { ...base, skip };
  const groups = new Set<string>(selection.groups ?? Object.keys(CONFORMANCE_GROUPS));
  for (const group of groups) {
    if (!(group in CONFORMANCE_GROUPS)) throw new Error(`no conformance group "${group}"`);
  }
  describe(`${base.name} conformance`, () => {
    const harness = new Harness(resolved);
    for (const [group, register] of Object.entries(CONFORMANCE_GROUPS)) {
      if (groups.has(group)) describe(group, () => register(harness));
    }
    const unknown = skip.filter((name) => !harness.registered.has(name));
    if (unknown.length > 0 && selection.groups === undefined) {
      it('skip lists name existing cases', () => {
        throw new Error(`skip names no case: ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);
      });
    }
  });
}

/**
 * Options of {@link runConformance}.
 *
 * @example
 * ```ts
 * runConformance(target, { model: { numRuns: 200 }, fuzz: false });
 * ```
 */
export interface ConformanceOptions extends CaseSelection {
  /** Model-based runner options, or `false` to leave it out. */
  readonly model?: ModelBasedOptions | false;
  /** Input fuzzing options, or `false` to leave it out. */
  readonly fuzz?: InputFuzzingOptions | false;
}

/**
 * The one call that runs the whole kit against a store or a backend: every
 * contract case, the model-based runner (random command sequences compared
 * with a reference model) and input fuzzing (random bad and unusual input).
 * Property runs print their seed; `DIGESTS_SEED` pins it and
 * `DIGESTS_PROPERTY_RUNS` sets how many sequences/inputs each property tries.
 *
 * @example
 * ```ts
 * // test/conformance.test.ts
 * import { runConformance } from '@digests/conformance';
 * import { MyStore } from '../src/index.js';
 *
 * runConformance({ name: 'my-store', createStore: async () => new MyStore(process.env.MY_URL) });
 * ```
 */
export function runConformance(target: KitTarget, options: ConformanceOptions = {}): void {
  runBackendConformance(target, options);
  if (options.model !== false) runModelBasedConformance(target, options.model ?? {});
  if (options.fuzz !== false) runInputFuzzing(target, options.fuzz ?? {});
}
