import type { AddOptions, Backend, TimelineRecord } from '../backend.js';
import { ConfigurationError } from '../errors.js';
import { assertValidKey } from '../keys.js';
import type { TransientPredicate } from '../retry/transient.js';
import { checkAddInput, checkRecordKeys } from './check-input.js';
import type { Logger } from './logger.js';
import { MergedContainer } from './merged-container.js';

/** Options of {@link RoutingBackend}. */
export interface RoutingBackendOptions<V> {
  /** `true` sends the timeline `key` to the primary, `false` to the secondary. Must be pure. */
  readonly predicate: (key: string) => boolean;
  readonly primary: Backend<V>;
  readonly secondary: Backend<V>;
  /** Which read failures are skipped. Default: core's `isTransient`. */
  readonly isTransient?: TransientPredicate;
  readonly logger?: Logger;
  /** Whether `close()` closes primary and secondary (the container owns its tree). Default `true`. */
  readonly closeInner?: boolean;
}

/**
 * Sends each timeline to one of two backends by a predicate on its key, e.g.
 * mail digests to Redis and everything else to PostgreSQL. A key never lives
 * in both: `add`, `flush`, `delete` and `remove` go to the routed backend
 * only. Reads merge (see `MergedReads`): `schedule` and `list` are the union
 * of both, and `digest`, `inspect` and `quarantined` look in both, so
 * records stranded by a changed predicate are still delivered (and their
 * quarantine can be cleared: `deleteQuarantined` reaches both). After
 * `close()` every call rejects `BackendClosedError`.
 *
 * @example
 * ```ts
 * const backend = new RoutingBackend({
 *   predicate: (key) => key.startsWith('mail:'),
 *   primary: redis,
 *   secondary: postgres,
 * });
 * ```
 */
export class RoutingBackend<V = unknown> extends MergedContainer<V> {
  readonly #predicate: (key: string) => boolean;
  readonly #primary: Backend<V>;
  readonly #secondary: Backend<V>;

  constructor(options: RoutingBackendOptions<V>) {
    if (typeof options.predicate !== 'function') {
      throw new ConfigurationError('RoutingBackend needs a predicate function');
    }
    super({
      name: 'RoutingBackend',
      backends: [options.primary, options.secondary],
      reads: options,
      ...(options.closeInner === undefined ? {} : { closeInner: options.closeInner }),
    });
    this.#predicate = options.predicate;
    this.#primary = options.primary;
    this.#secondary = options.secondary;
  }

  /** Where keys the predicate accepts live. */
  get primary(): Backend<V> {
    return this.#primary;
  }

  /** Where the other keys live. */
  get secondary(): Backend<V> {
    return this.#secondary;
  }

  /** The backend that holds `key`. */
  route(key: string): Backend<V> {
    return this.#predicate(key) ? this.#primary : this.#secondary;
  }

  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    this.check();
    checkAddInput(key, record, options);
    return this.route(key).add(key, record, options);
  }

  async flush(key: string): Promise<void> {
    this.check();
    assertValidKey(key);
    await this.route(key).flush(key);
  }

  async delete(key: string): Promise<void> {
    this.check();
    assertValidKey(key);
    await this.route(key).delete(key);
  }

  /** Cancels the records in the backend that holds `key` (like `delete`). */
  async remove(key: string, recordKeys: readonly string[]): Promise<number> {
    this.check();
    checkRecordKeys(key, recordKeys, 'remove');
    return this.route(key).remove(key, recordKeys);
  }
}
