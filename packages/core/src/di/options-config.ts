import type { Codec } from '../codecs/codec.js';
import { CompressedJsonCodec } from '../codecs/compressed-json-codec.js';
import { JsonCodec } from '../codecs/json-codec.js';
import { ConfigurationError } from '../errors.js';
import { type BackendOptions, resolveOptions } from '../options.js';

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
  readonly codec?: 'json' | 'compressed-json' | Codec<unknown>;
}

const NUMERIC = [
  'minimumDelay',
  'incrementDelay',
  'maximumDelay',
  'capacity',
  'truncationChance',
  'ttl',
  'leaseDuration',
] as const;

const CODECS: Readonly<Record<string, () => Codec<unknown>>> = {
  json: () => new JsonCodec(),
  'compressed-json': () => new CompressedJsonCodec(),
};

/**
 * Checks an `options` section: known fields only, numbers where numbers
 * belong, a known codec name. Throws `ConfigurationError` naming the field.
 *
 * @example
 * ```ts
 * checkOptions({ minimumDelay: '5m' }, 'config.options');
 * // throws: config.options.minimumDelay must be a number, got "5m"
 * ```
 */
export function checkOptions(options: unknown, path: string): asserts options is OptionsConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigurationError(`${path} must be an object`);
  }
  const known: readonly string[] = [...NUMERIC, 'codec'];
  for (const [field, value] of Object.entries(options)) {
    if (!known.includes(field)) {
      throw new ConfigurationError(
        `${path}.${field} is not a backend option (expected ${known.join(', ')})`,
      );
    }
    if (field === 'codec') {
      const isCodec = typeof value === 'object' && value !== null && 'encode' in value;
      if (!isCodec && !(typeof value === 'string' && value in CODECS)) {
        throw new ConfigurationError(
          `${path}.codec must be one of ${Object.keys(CODECS).join(', ')}, got ${JSON.stringify(value)}`,
        );
      }
    } else if (typeof value !== 'number') {
      throw new ConfigurationError(
        `${path}.${field} must be a number, got ${JSON.stringify(value)}`,
      );
    }
  }
}

/**
 * The `BackendOptions` a node's adapter gets: its ancestors' options merged
 * with its own (the nearest wins), the codec built from its name, and
 * validated as a whole (`resolveOptions`) so a bad combination names the node.
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
  return options;
}
