import type { DigestFunction, TimelineRecord } from './backend.js';

/**
 * An opened digest: the lease is held and the records are in the snapshot.
 * Adapters implement these three steps; {@link runLeasedDigest} drives them.
 */
export interface DigestSession<V> {
  /** The snapshot, newest first. */
  readonly records: readonly TimelineRecord<V>[];
  /** Extends the lease by `leaseDuration`; resolves `false` when it is no longer ours. */
  renew(): Promise<boolean>;
  /**
   * Removes exactly the snapshot's records and reschedules the key (SPEC
   * digest step 6), verifying the lease in the same atomic step; rejects
   * `LeaseLostError` and changes nothing when the lease is gone.
   */
  commit(): Promise<void>;
  /** Gives the lease back after the caller's function failed. Records stay. */
  release(): Promise<void>;
}

/**
 * Runs the caller's function inside an opened digest: renews the lease every
 * third of `leaseDuration` while `fn` runs, commits if it succeeds, releases
 * the lease and re-throws if it fails.
 *
 * @example
 * ```ts
 * async digest(key, fn, options) {
 *   const { minimumDelay } = checkDigest(key, fn, options, this.#options);
 *   const session = await this.#open(key, minimumDelay); // lease + snapshot, atomically
 *   return runLeasedDigest(session, fn, this.#options.leaseDuration);
 * }
 * ```
 */
export async function runLeasedDigest<V, R>(
  session: DigestSession<V>,
  fn: DigestFunction<V, R>,
  leaseDuration: number,
): Promise<R> {
  const renewal = keepRenewing(session, leaseDuration);
  let result: R;
  try {
    result = await fn(session.records);
  } catch (error) {
    await renewal.stop();
    // Releasing is a courtesy: if the store is down, the lease simply expires.
    await session.release().catch(() => undefined);
    throw error;
  }
  await renewal.stop();
  await session.commit();
  return result;
}

function keepRenewing(
  session: DigestSession<unknown>,
  leaseDuration: number,
): { stop(): Promise<void> } {
  let pending: Promise<unknown> = Promise.resolve();
  let lost = false;
  const timer = setInterval(
    () => {
      if (lost) return;
      pending = session.renew().then(
        (ours) => {
          if (!ours) lost = true;
        },
        // A transient failure: try again at the next tick; commit verifies anyway.
        () => undefined,
      );
    },
    Math.max(1, Math.floor(leaseDuration / 3)),
  );
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pending;
    },
  };
}
