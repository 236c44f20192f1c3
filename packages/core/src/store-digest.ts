/**
 * The leased-digest protocol of {@link StoreBackend} over a store's steps:
 * open (lease and snapshot), decode with quarantine, run the caller's
 * function with lease renewal, then commit or release.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { DigestFunction, DigestOptions, TimelineRecord } from './backend.js';
import { CodecError, InvalidStateError, LeaseConflictError, LeaseLostError } from './errors.js';
import { checkDigest, decodeValue } from './input.js';
import { runLeasedDigest } from './leased-digest.js';
import { globalDigestMetrics } from './metrics/global-metrics.js';
import type { ResolvedOptions } from './options.js';
import type { DigestStore, StoredRecord } from './store.js';
import type { StoreSteps } from './store-steps.js';

/**
 * Digests `key` through `store` (SPEC "digest"): checks the call, takes the
 * lease and the snapshot in one step, quarantines what the codec cannot
 * decode, runs `fn` while renewing the lease, and commits only if `fn`
 * succeeded (`LeaseLostError` when the lease was taken meanwhile).
 *
 * @example
 * ```ts
 * const count = await storeDigest(store, steps, options, 'mail:p:1', (records) => records.length);
 * ```
 */
export async function storeDigest<V, R>(
  store: DigestStore,
  steps: StoreSteps,
  resolved: ResolvedOptions<V>,
  key: string,
  fn: DigestFunction<V, R>,
  options: DigestOptions | undefined,
): Promise<R> {
  steps.assertOpen();
  const checked = checkDigest(key, fn, options, resolved);
  const { leaseDuration, capacity } = resolved;
  const token = randomUUID();
  const opened = await steps.run('open', (context) =>
    store.open({
      ...context,
      key: checked.key,
      token,
      expiresAt: context.now + leaseDuration,
      ...(capacity === undefined ? {} : { capacity }),
      ...(checked.limit === undefined ? {} : { limit: checked.limit }),
    }),
  );
  if (opened.outcome === 'conflict') {
    throw new LeaseConflictError(`another digest holds the lease of ${checked.key}`);
  }
  if (opened.outcome === 'not-ready') throw new InvalidStateError(`${checked.key} is not ready`);

  const { records, poisoned } = decodeSnapshot(resolved, opened.records);
  if (poisoned.length > 0) {
    try {
      await steps.run('quarantine', () => store.quarantine(checked.key, token, poisoned));
    } catch (error) {
      await store.release(checked.key, token).catch(() => undefined);
      throw error;
    }
    globalDigestMetrics().quarantined(poisoned.length);
  }
  const delivered = checked.limit === undefined ? undefined : records.map((record) => record.key);
  return runLeasedDigest(
    {
      records,
      renew: () =>
        steps.run('renew', (context) =>
          store.renew(checked.key, token, context.now + leaseDuration),
        ),
      release: () => steps.run('release', () => store.release(checked.key, token)),
      commit: async () => {
        const ours = await steps.run('commit', (context) =>
          store.commit({
            ...context,
            key: checked.key,
            token,
            minimumDelay: checked.minimumDelay,
            ...(delivered === undefined ? {} : { delivered }),
          }),
        );
        if (!ours) {
          throw new LeaseLostError(
            `the lease of ${checked.key} was taken by another digest; nothing was removed`,
          );
        }
      },
    },
    fn,
    leaseDuration,
  );
}

/** Decodes the snapshot; values the codec rejects are named for quarantine. */
function decodeSnapshot<V>(
  resolved: ResolvedOptions<V>,
  stored: readonly StoredRecord[],
): { records: TimelineRecord<V>[]; poisoned: string[] } {
  const records: TimelineRecord<V>[] = [];
  const poisoned: string[] = [];
  for (const { key, timestamp, value } of stored) {
    try {
      records.push({ key, timestamp, value: decodeValue(resolved, value) });
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      poisoned.push(key);
    }
  }
  return { records, poisoned };
}
