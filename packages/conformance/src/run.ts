import { describe } from 'vitest';
import { addManyCases } from './add-many.js';
import { addScheduleCases } from './add-schedule.js';
import { badInputCases } from './bad-input.js';
import { capacityCases } from './capacity.js';
import { concurrencyCases } from './concurrency.js';
import { digestCases } from './digest.js';
import { Harness } from './harness.js';
import { inspectFlushDeleteCases } from './inspect-flush-delete.js';
import { keyCases } from './keys.js';
import { largeCases } from './large.js';
import { leaseCases } from './leases.js';
import { maintenanceCases } from './maintenance.js';
import { scheduleCases } from './schedule.js';
import type { ConformanceTarget } from './target.js';

/** The groups, by name, in the order they run. */
export const CONFORMANCE_GROUPS = {
  add: addScheduleCases,
  'add many': addManyCases,
  schedule: scheduleCases,
  digest: digestCases,
  leases: leaseCases,
  maintenance: maintenanceCases,
  capacity: capacityCases,
  'inspect, flush, delete': inspectFlushDeleteCases,
  keys: keyCases,
  'bad input': badInputCases,
  large: largeCases,
  concurrency: concurrencyCases,
} as const;

/**
 * Registers every conformance case for `target` as vitest `describe` blocks:
 * one per group, each case titled `group: rule`. Call it at the top level of
 * a test file.
 *
 * @example
 * ```ts
 * import { runBackendConformance } from '@digests/conformance';
 * import { MemoryBackend } from '@digests/memory';
 *
 * runBackendConformance({ name: 'memory', create: async (options) => new MemoryBackend(options) });
 * ```
 */
export function runBackendConformance(target: ConformanceTarget): void {
  describe(`${target.name} conformance`, () => {
    const harness = new Harness(target);
    for (const [group, register] of Object.entries(CONFORMANCE_GROUPS)) {
      describe(group, () => register(harness));
    }
  });
}
