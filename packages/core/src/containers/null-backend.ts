import type {
  AddOptions,
  Backend,
  DigestFunction,
  DigestOptions,
  ListOptions,
  ListPage,
  QuarantinedRecord,
  ScheduleEntry,
  ScheduleOptions,
  TimelineInfo,
  TimelineRecord,
} from '../backend.js';
import { InvalidStateError } from '../errors.js';
import { assertValidKey } from '../keys.js';
import { checkListOptions } from '../list-cursor.js';
import { assertDeadline, chunkSize } from '../options.js';
import { checkPeekOptions, type PeekOptions, type PeekPage, type PeekSource } from '../peek.js';
import type { BackendStats, StatsSource } from '../stats.js';
import { checkAddInput, checkDigestInput, checkRecordKeys } from './check-input.js';
import { CloseGate } from './close-gate.js';

/**
 * A backend that accepts everything and stores nothing: digests switched off
 * (e.g. in a test environment, or for a tenant that opted out). Input is
 * still validated, so code that works against it works against a real store.
 * `add` resolves `false` (nothing to deliver), every key is `absent`,
 * `digest` rejects `InvalidStateError`, `list` is empty and `remove`
 * removes nothing; after `close()` every call rejects `BackendClosedError`.
 * It is not run through the conformance suite: it keeps nothing by design.
 *
 * @example
 * ```ts
 * const backend = process.env.DIGESTS_OFF ? new NullBackend() : new MemoryBackend();
 * await backend.add('mail:p:1', { key: 'e1', value: 'hi', timestamp: Date.now() }); // false
 * ```
 */
export class NullBackend<V = unknown> implements Backend<V>, StatsSource, PeekSource<V> {
  readonly #gate = new CloseGate('NullBackend');

  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    this.#gate.check();
    checkAddInput(key, record, options);
    return false;
  }

  async digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    this.#gate.check();
    checkDigestInput(key, fn, options);
    throw new InvalidStateError(`${key} is not ready: a NullBackend stores nothing`);
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    this.#gate.check();
    assertDeadline(deadline);
    chunkSize(options?.chunkSize);
    return (async function* nothing() {})();
  }

  async maintenance(deadline: number): Promise<number> {
    this.#gate.check();
    assertDeadline(deadline);
    return 0;
  }

  async flush(key: string): Promise<void> {
    this.#gate.check();
    assertValidKey(key);
  }

  async delete(key: string): Promise<void> {
    this.#gate.check();
    assertValidKey(key);
  }

  async inspect(key: string): Promise<TimelineInfo> {
    this.#gate.check();
    assertValidKey(key);
    return { state: 'absent', size: 0 };
  }

  /** Nothing to cancel: resolves 0. */
  async remove(key: string, recordKeys: readonly string[]): Promise<number> {
    this.#gate.check();
    checkRecordKeys(key, recordKeys, 'remove');
    return 0;
  }

  /** Always one empty page. */
  async list(options?: ListOptions): Promise<ListPage> {
    this.#gate.check();
    checkListOptions(options);
    return { entries: [] };
  }

  /** Nothing is ever quarantined. */
  async quarantined(key: string): Promise<QuarantinedRecord[]> {
    this.#gate.check();
    assertValidKey(key);
    return [];
  }

  async deleteQuarantined(key: string, recordKeys?: readonly string[]): Promise<number> {
    this.#gate.check();
    checkRecordKeys(key, recordKeys, 'deleteQuarantined');
    return 0;
  }

  /** Always one empty page. */
  async peek(key: string, options?: PeekOptions): Promise<PeekPage<V>> {
    this.#gate.check();
    assertValidKey(key);
    checkPeekOptions(options);
    return { records: [] };
  }

  /** Always empty. */
  async stats(): Promise<BackendStats> {
    this.#gate.check();
    return { waiting: 0, ready: 0, records: 0 };
  }

  close(): Promise<void> {
    return this.#gate.close(async () => {});
  }
}
