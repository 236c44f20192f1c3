import type { KeyOptions, KeyOptionsSource } from '../worker/key-options.js';
import type { OptionDefinition } from './option-definition.js';
import type { OptionsRegistry } from './options-registry.js';
import type { OptionsStore } from './options-store.js';

/**
 * The options the worker reads per timeline key.
 *
 * @example
 * ```ts
 * const { minimumDelay }: DigestOptionDefinitions = registerDigestOptions(store.registry);
 * await store.set(minimumDelay, 3_600_000, 'mail:p:1'); // at most one digest an hour for p:1
 * ```
 */
export interface DigestOptionDefinitions {
  /** `digests.enabled` (default `true`): `false` stores records but delivers nothing. */
  readonly enabled: OptionDefinition<boolean>;
  /** `digests.minimumDelay` (no default: the backend's own). */
  readonly minimumDelay: OptionDefinition<number | undefined>;
  /** `digests.incrementDelay` (no default: the backend's own). */
  readonly incrementDelay: OptionDefinition<number | undefined>;
  /** `digests.maximumDelay` (no default: the backend's own). */
  readonly maximumDelay: OptionDefinition<number | undefined>;
}

const delay = (ms: number): boolean => ms >= 0;

/**
 * Registers the worker's per-key options (idempotent) and returns them.
 *
 * @example
 * ```ts
 * const { enabled } = registerDigestOptions(store.registry);
 * await store.set(enabled, false, 'mail:p:1'); // mute one timeline
 * ```
 */
export function registerDigestOptions(registry: OptionsRegistry): DigestOptionDefinitions {
  return {
    enabled: registry.register('digests.enabled', { type: 'boolean', default: true }),
    minimumDelay: registry.register('digests.minimumDelay', { type: 'number', validate: delay }),
    incrementDelay: registry.register('digests.incrementDelay', {
      type: 'number',
      validate: delay,
    }),
    maximumDelay: registry.register('digests.maximumDelay', { type: 'number', validate: delay }),
  };
}

/**
 * A {@link KeyOptionsSource} over an options store, for `DigestWorker`'s
 * `options`: for each key, the scoped value, else the global one, else the
 * default (enabled; the backend's own delays).
 *
 * @example
 * ```ts
 * const worker = new DigestWorker({ backend, deliver, options: digestKeyOptions(store) });
 * ```
 */
export function digestKeyOptions(store: OptionsStore): KeyOptionsSource {
  const options = registerDigestOptions(store.registry);
  return {
    async forKey(key: string): Promise<KeyOptions> {
      const [enabled, minimumDelay, incrementDelay, maximumDelay] = await Promise.all([
        store.get(options.enabled, key),
        store.get(options.minimumDelay, key),
        store.get(options.incrementDelay, key),
        store.get(options.maximumDelay, key),
      ]);
      return {
        enabled,
        ...(minimumDelay === undefined ? {} : { minimumDelay }),
        ...(incrementDelay === undefined ? {} : { incrementDelay }),
        ...(maximumDelay === undefined ? {} : { maximumDelay }),
      };
    },
  };
}
