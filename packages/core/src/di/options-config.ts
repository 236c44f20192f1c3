import { z } from 'zod';
import type { Codec } from '../codecs/codec.js';
import { CompressedJsonCodec } from '../codecs/compressed-json-codec.js';
import { JsonCodec } from '../codecs/json-codec.js';
import { ConfigurationError } from '../errors.js';
import { type BackendOptions, DEFAULT_OPTIONS, resolveOptions } from '../options.js';
import { named, parseConfig } from './config-issue.js';

/**
 * The shared backend options as a config writes them: numbers as in
 * `BackendOptions`, and `codec` as a name (`"json"`, `"compressed-json"`)
 * or, in a JS config, a `Codec`. `clock` comes from the DI container.
 *
 * @example
 * ```ts
 * const options: OptionsConfig = { minimumDelay: 60_000, capacity: 500, codec: 'compressed-json' };
 * ```
 */
export interface OptionsConfig {
  readonly minimumDelay?: number;
  readonly incrementDelay?: number;
  readonly maximumDelay?: number;
  readonly capacity?: number;
  readonly truncationChance?: number;
  readonly ttl?: number;
  readonly leaseDuration?: number;
  readonly flushThreshold?: number;
  readonly operationTimeout?: number;
  readonly maxValueSize?: number;
  readonly codec?: 'json' | 'compressed-json' | Codec<unknown>;
}

const CODECS: Readonly<Record<string, () => Codec<unknown>>> = {
  json: () => new JsonCodec(),
  'compressed-json': () => new CompressedJsonCodec(),
};

/**
 * A number of milliseconds ≥ 0 (a delay), described for editors.
 *
 * @example
 * ```ts
 * const schema = z.strictObject({ minimumDelay: milliseconds('after a digest, wait at least this long') });
 * ```
 */
export function milliseconds(description: string) {
  const message = { error: 'must be a finite number ≥ 0' };
  return z.number(message).min(0, message).describe(description);
}

/**
 * A number of milliseconds > 0 (an interval or a timeout), described for editors.
 *
 * @example
 * ```ts
 * const schema = z.strictObject({ interval: positiveMilliseconds('between passes') });
 * ```
 */
export function positiveMilliseconds(description: string) {
  const message = { error: 'must be a positive number of milliseconds' };
  return z.number(message).positive(message).describe(description);
}

/**
 * An integer ≥ 1 (a count or a size), described for editors.
 *
 * @example
 * ```ts
 * const schema = z.strictObject({ shards: countOf('how many sorted sets the schedule is split into') });
 * ```
 */
export function countOf(description: string) {
  const message = { error: 'must be an integer ≥ 1' };
  return z.int(message).min(1, message).describe(description);
}

const codecInstance = z.custom<Codec<unknown>>(
  (value) => typeof value === 'object' && value !== null && 'encode' in value && 'decode' in value,
);

/**
 * The schema of an `options` section: every `BackendOptions` key but
 * `clock` (the container's), each checked on its own. Combinations
 * (`ttl` > `maximumDelay`, `truncationChance` needs `capacity`) are checked
 * by {@link toBackendOptions} once a node's options are merged.
 *
 * @example
 * ```ts
 * optionsSchema.parse({ minimumDelay: 60_000, codec: 'json' });
 * ```
 */
export const optionsSchema = named(
  z.strictObject({
    minimumDelay: milliseconds(
      `after a digest, the timeline waits at least this long (ms, default ${DEFAULT_OPTIONS.minimumDelay})`,
    ).optional(),
    incrementDelay: milliseconds(
      `each new record pushes delivery back this much (ms, default ${DEFAULT_OPTIONS.incrementDelay})`,
    ).optional(),
    maximumDelay: milliseconds(
      `…but never past the last digest + this (ms, default ${DEFAULT_OPTIONS.maximumDelay}); must be ≥ minimumDelay`,
    ).optional(),
    capacity: countOf('keep at most this many newest records per timeline').optional(),
    truncationChance: z
      .number({ error: 'must be a number between 0 and 1' })
      .min(0, { error: 'must be a number between 0 and 1' })
      .max(1, { error: 'must be a number between 0 and 1' })
      .describe('probability that an add trims to capacity (default 1/capacity; needs capacity)')
      .optional(),
    ttl: positiveMilliseconds(
      'data untouched this long may be discarded by maintenance (ms); must exceed maximumDelay',
    ).optional(),
    leaseDuration: positiveMilliseconds(
      `how long a digest holds its timeline (ms, default ${DEFAULT_OPTIONS.leaseDuration})`,
    ).optional(),
    flushThreshold: countOf(
      'an add leaving a waiting timeline with at least this many records makes it ready now',
    ).optional(),
    operationTimeout: positiveMilliseconds(
      `how long one store step may take before it fails as unavailable (ms, default ${DEFAULT_OPTIONS.operationTimeout})`,
    ).optional(),
    maxValueSize: countOf('the largest encoded value add accepts, in bytes').optional(),
    codec: z
      .union([z.enum(['json', 'compressed-json']), codecInstance], {
        error: `must be one of ${Object.keys(CODECS).join(', ')}`,
      })
      .describe('how values are stored (default "json")')
      .optional(),
  }),
  'a backend option',
);

/**
 * Checks an `options` section: known fields only, numbers where numbers
 * belong, a known codec name. Throws `ConfigurationError` naming the field.
 *
 * @example
 * ```ts
 * checkOptions({ minimumDelay: '5m' }, 'config.options');
 * // throws: config.options.minimumDelay must be a finite number ≥ 0, got "5m"
 * ```
 */
export function checkOptions(options: unknown, path: string): asserts options is OptionsConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigurationError(`${path} must be an object`);
  }
  parseConfig(optionsSchema, options, path);
}

/**
 * The `BackendOptions` a node's adapter gets: its ancestors' options merged
 * with its own (the nearest wins), the codec built from its name, and
 * validated as a whole (`resolveOptions`) so a bad combination names the node.
 *
 * A node whose options set both `minimumDelay` and `maximumDelay`, the
 * minimum greater, is rejected: an add after a digest is due at most
 * `maximumDelay` after it, so the minimum could not hold. (A `maximumDelay`
 * below the *default* minimum is accepted: it caps the delay, as the
 * schedule rule says.)
 *
 * @example
 * ```ts
 * toBackendOptions({ minimumDelay: 1000 }, { codec: 'json' }, 'config.primary', Date.now);
 * ```
 */
export function toBackendOptions(
  inherited: OptionsConfig,
  own: OptionsConfig | undefined,
  path: string,
  clock: () => number,
): BackendOptions<unknown> {
  const merged: OptionsConfig = { ...inherited, ...own };
  const { codec, ...numbers } = merged;
  const options: BackendOptions<unknown> = {
    ...numbers,
    ...(codec === undefined ? {} : { codec: typeof codec === 'string' ? CODECS[codec]!() : codec }),
    clock,
  };
  try {
    resolveOptions(options);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    // resolveOptions names the option first: "ttl must exceed …".
    throw new ConfigurationError(`${path}.options.${error.message}`, { cause: error });
  }
  const { minimumDelay, maximumDelay } = merged;
  if (minimumDelay !== undefined && maximumDelay !== undefined && minimumDelay > maximumDelay) {
    throw new ConfigurationError(
      `${path}.options.minimumDelay (${minimumDelay}) must not exceed maximumDelay (${maximumDelay}): an add after a digest is due at most maximumDelay after it, so the minimum could not hold`,
    );
  }
  return options;
}
