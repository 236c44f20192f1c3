import { describe } from 'vitest';
import { invalidInputProperties } from './fuzz-invalid-input.js';
import { validInputProperties } from './fuzz-valid-input.js';
import { propertyRuns } from './property-runs.js';
import { backendTarget, type KitTarget } from './target.js';

/** Options of {@link runInputFuzzing}. */
export interface InputFuzzingOptions {
  /** Inputs per property (default 100; huge values use at most 4); `DIGESTS_PROPERTY_RUNS` overrides it. */
  readonly numRuns?: number;
  /** fast-check seed; default `DIGESTS_SEED` from the environment, else a fresh random one (printed). */
  readonly seed?: number;
  /** Timeout per property in ms (default 120 000). */
  readonly timeout?: number;
  /**
   * The store's own limit on one encoded value, in bytes (MySQL's
   * `max_allowed_packet`, say): the huge-value property then draws only
   * values whose JSON stays under it. Default: no limit.
   */
  readonly maxValueSize?: number;
}

/**
 * Registers input-fuzzing tests for `target`: fast-check throws keys, records,
 * values and options at and past every limit at the backend. Each invalid
 * input must get its typed error and write nothing (checked with
 * `target.storedItems` and `inspect`); each valid-but-nasty key or value must
 * work and read back exactly. A failure prints the shrunk input and the seed
 * (`DIGESTS_SEED=<seed>` replays it).
 *
 * @example
 * ```ts
 * import { runInputFuzzing } from '@digests/conformance';
 * import { MemoryBackend } from '@digests/memory';
 *
 * runInputFuzzing(
 *   {
 *     name: 'memory',
 *     create: async (options) => new MemoryBackend(options),
 *   },
 *   { numRuns: 200 },
 * );
 * ```
 */
export function runInputFuzzing(kitTarget: KitTarget, options: InputFuzzingOptions = {}): void {
  const target = backendTarget(kitTarget);
  const { numRuns, seed } = propertyRuns(`${target.name} input fuzzing`, options, 100);
  const timeout = options.timeout ?? 120_000;
  const parameters = { numRuns, seed };

  describe(`${target.name} input fuzzing (seed ${seed})`, () => {
    const settings = {
      parameters,
      timeout,
      ...(options.maxValueSize === undefined ? {} : { maxValueSize: options.maxValueSize }),
    };
    invalidInputProperties(target, settings);
    validInputProperties(target, settings);
  });
}
