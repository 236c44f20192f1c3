/**
 * Cases every SQL adapter runs on top of the conformance suite: they read
 * the tables directly, check migrations and prefixes, and put the store under
 * concurrent load.
 *
 * @example
 * ```ts
 * import { runSqlAdapterCases } from '@digests/sql/testing';
 * runSqlAdapterCases({ name: 'sqlite', create, sibling, tables });
 * ```
 *
 * @module
 */
import { beforeEach, describe } from 'vitest';
import { concurrencyCases } from './concurrency-cases.js';
import { tableCases } from './table-cases.js';
import type { SqlAdapterTarget } from './target.js';

export { type AddManyReference, addManyCases } from './add-many-cases.js';
export { deliverUnderLoad, type LoadShape } from './concurrency-cases.js';
export {
  digestLargeTimeline,
  type LargeTimelineRun,
  type LargeTimelineShape,
} from './large-timeline.js';
export type { SqlAdapterTarget } from './target.js';

/**
 * Registers the SQL adapter cases for `target`.
 *
 * @example
 * ```ts
 * runSqlAdapterCases(postgresTarget);
 * ```
 */
export function runSqlAdapterCases(target: SqlAdapterTarget): void {
  describe(`${target.name} tables`, () => {
    const clock = { now: 1_700_000_000_000 };
    beforeEach(() => {
      clock.now = 1_700_000_000_000;
    });
    tableCases(target, clock);
  });
  describe(`${target.name} under load`, () => concurrencyCases(target));
}
