import { ConfigurationError } from '../errors.js';
import {
  defineOption,
  type OptionDefinition,
  type OptionSpec,
  type OptionType,
  type OptionValueOf,
} from './option-definition.js';

/**
 * The typed list of known options, with their defaults. Registering the same
 * name again with the same type and default returns the first definition
 * (so independent modules may each register what they use); anything else
 * is a `ConfigurationError`.
 *
 * @example
 * ```ts
 * const registry = new OptionsRegistry();
 * const minimumDelay = registry.register('digests.minimumDelay', { type: 'number', default: 300_000 });
 * const quietHours = registry.register('mail.quietHours', { type: 'string' }); // string | undefined
 * registry.get('digests.minimumDelay') === minimumDelay; // true
 * ```
 */
export class OptionsRegistry {
  readonly #definitions = new Map<string, OptionDefinition<unknown>>();

  register<T extends OptionType>(
    name: string,
    spec: OptionSpec<T> & { readonly default: OptionValueOf<T> },
  ): OptionDefinition<OptionValueOf<T>>;
  register<T extends OptionType>(
    name: string,
    spec: OptionSpec<T>,
  ): OptionDefinition<OptionValueOf<T> | undefined>;
  register<T extends OptionType>(
    name: string,
    spec: OptionSpec<T>,
  ): OptionDefinition<OptionValueOf<T> | undefined> {
    const existing = this.#definitions.get(name);
    if (existing !== undefined) {
      if (existing.type === spec.type && existing.default === spec.default) {
        return existing as OptionDefinition<OptionValueOf<T> | undefined>;
      }
      throw new ConfigurationError(`option ${name} is already registered differently`);
    }
    const definition = defineOption(name, spec);
    this.#definitions.set(name, definition);
    return definition;
  }

  /** The definition registered under `name`, if any. */
  get(name: string): OptionDefinition<unknown> | undefined {
    return this.#definitions.get(name);
  }

  /** Every definition, in registration order. */
  list(): readonly OptionDefinition<unknown>[] {
    return [...this.#definitions.values()];
  }
}
