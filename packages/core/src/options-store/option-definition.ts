import { ConfigurationError } from '../errors.js';

/**
 * The types an option can have; values are stored as JSON.
 *
 * @example
 * ```ts
 * const type: OptionType = 'boolean';
 * ```
 */
export type OptionType = 'number' | 'string' | 'boolean';

/**
 * The TypeScript type of an {@link OptionType}.
 *
 * @example
 * ```ts
 * const delay: OptionValueOf<'number'> = 300_000;
 * ```
 */
export type OptionValueOf<T extends OptionType> = T extends 'number'
  ? number
  : T extends 'string'
    ? string
    : boolean;

/**
 * How an option is declared: its type, its default (none: the option is
 * `undefined` unless set, e.g. "use the backend's own value"), and an
 * optional check of the values a storage may hold.
 *
 * @example
 * ```ts
 * const spec: OptionSpec<'number'> = { type: 'number', default: 300_000, validate: (ms) => ms >= 0 };
 * ```
 */
export interface OptionSpec<T extends OptionType> {
  readonly type: T;
  readonly default?: OptionValueOf<T>;
  /** Extra check; a stored value that fails it is ignored, `set` rejects it. */
  readonly validate?: (value: OptionValueOf<T>) => boolean;
  readonly description?: string;
}

/**
 * A registered option: a handle to read and write it through an
 * `OptionsStore`, typed by its value.
 *
 * @example
 * ```ts
 * const minimumDelay: OptionDefinition<number> = registry.register('digests.minimumDelay', {
 *   type: 'number',
 *   default: 300_000,
 * });
 * await store.get(minimumDelay, 'mail:p:1');
 * ```
 */
export interface OptionDefinition<V> {
  readonly name: string;
  readonly type: OptionType;
  readonly default: V;
  readonly description: string | undefined;
  /** Whether `value` is a valid value of this option (type and `validate`). */
  accepts(value: unknown): value is Exclude<V, undefined>;
}

/** Letters, digits, `.`, `_`, `-`: no `:`, which separates a scope. */
const NAME = /^[A-Za-z0-9_.-]{1,200}$/;

/**
 * Builds an {@link OptionDefinition}; `OptionsRegistry.register` is the usual way.
 *
 * @example
 * ```ts
 * const enabled = defineOption('digests.enabled', { type: 'boolean', default: true });
 * ```
 */
export function defineOption<T extends OptionType>(
  name: string,
  spec: OptionSpec<T>,
): OptionDefinition<OptionValueOf<T> | undefined> {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ConfigurationError(
      `option name must be 1–200 letters, digits, '.', '_' or '-', got ${JSON.stringify(name)}`,
    );
  }
  const { type, validate } = spec;
  if (type !== 'number' && type !== 'string' && type !== 'boolean') {
    throw new ConfigurationError(`option ${name}: type must be number, string or boolean`);
  }
  const accepts = (value: unknown): value is OptionValueOf<T> => {
    if (typeof value !== type) return false;
    if (type === 'number' && !Number.isFinite(value)) return false;
    return validate === undefined || validate(value as OptionValueOf<T>);
  };
  if (spec.default !== undefined && !accepts(spec.default)) {
    throw new ConfigurationError(`option ${name}: the default is not a valid ${type}`);
  }
  const definition: OptionDefinition<OptionValueOf<T> | undefined> = {
    name,
    type,
    default: spec.default,
    description: spec.description,
    accepts: accepts as OptionDefinition<OptionValueOf<T> | undefined>['accepts'],
  };
  return Object.freeze(definition);
}
