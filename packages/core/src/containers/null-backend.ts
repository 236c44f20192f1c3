import type {
  AddOptions,
  Backend,
  DigestFunction,
  DigestOptions,
  ScheduleEntry,
  ScheduleOptions,
  TimelineInfo,
  TimelineRecord,
} from '../backend.js';
import { ConfigurationError, InvalidStateError } from '../errors.js';
import { assertValidKey } from '../keys.js';
import { assertDeadline, chunkSize, delay } from '../options.js';
import type { BackendStats, StatsSource } from '../stats.js';
import { checkAddInput } from './check-input.js';

/**
 * A backend that accepts everything and stores nothing: digests switched off
 * (e.g. in a test environment, or for a tenant that opted out). Input is
 * still validated, so code that works against it works against a real store.
 * `add` resolves `false` (nothing to deliver), every key is `absent`, and
 * `digest` rejects `InvalidStateError`. It is not run through the
 * conformance suite: it keeps nothing by design.
 *
 * @example
 * ```ts
 * const backend = process.env.DIGESTS_OFF ? new NullBackend() : new MemoryBackend();
 * await backend.add('mail:p:1', { key: 'e1', value: 'hi', timestamp: Date.now() }); // false
 * ```
 */
export class NullBackend<V = unknown> implements Backend<V>, StatsSource {
  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    checkAddInput(key, record, options);
    return false;
  }

  async digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    assertValidKey(key);
    if (typeof fn !== 'function') throw new ConfigurationError('digest needs a function');
    delay(options?.minimumDelay, 'minimumDelay', 0);
    throw new InvalidStateError(`${key} is not ready: a NullBackend stores nothing`);
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    assertDeadline(deadline);
    chunkSize(options?.chunkSize);
    return (async function* nothing() {})();
  }

  async maintenance(deadline: number): Promise<number> {
    assertDeadline(deadline);
    return 0;
  }

  async flush(key: string): Promise<void> {
    assertValidKey(key);
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
  }

  async inspect(key: string): Promise<TimelineInfo> {
    assertValidKey(key);
    return { state: 'absent', size: 0 };
  }

  /** Always empty. */
  async stats(): Promise<BackendStats> {
    return { waiting: 0, ready: 0, records: 0 };
  }

  async close(): Promise<void> {}
}
