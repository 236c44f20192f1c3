/**
 * What a worker has done since it was built; `worker.counters` returns a
 * fresh plain snapshot of these.
 *
 * @example
 * ```ts
 * const { digestsDelivered, failures, leaseConflicts } = worker.counters;
 * metrics.gauge('digests.failures', failures);
 * ```
 */
export interface WorkerCounters {
  /** Maintenance + schedule passes run (`runOnce` or the timer). */
  passes: number;
  /** Passes whose maintenance or schedule failed (the store was unreachable, …). */
  passFailures: number;
  /** Keys maintenance moved back to waiting. */
  maintained: number;
  /** Keys schedule yielded to this worker. */
  scheduled: number;
  /** Records stored through `worker.add`. */
  recordsAdded: number;
  /** Adds that made their key ready, so the worker digested it at once. */
  immediateDigests: number;
  /** Digests that delivered records. */
  digestsDelivered: number;
  /** Records in those digests. */
  recordsDelivered: number;
  /** Digests committed with no records (the backoff expired quietly): not delivered. */
  emptyDigests: number;
  /** Digests whose delivery or store operation failed. */
  failures: number;
  /** Digests another worker had taken (`LeaseConflictError`, `InvalidStateError`): normal. */
  leaseConflicts: number;
  /** Digests whose lease expired while delivering: the records will be delivered again. */
  leasesLost: number;
  /** Digests skipped because the key is disabled in the options. */
  skippedDisabled: number;
}

/**
 * All zero.
 *
 * @example
 * ```ts
 * const counters = zeroCounters();
 * counters.passes++;
 * ```
 */
export function zeroCounters(): WorkerCounters {
  return {
    passes: 0,
    passFailures: 0,
    maintained: 0,
    scheduled: 0,
    recordsAdded: 0,
    immediateDigests: 0,
    digestsDelivered: 0,
    recordsDelivered: 0,
    emptyDigests: 0,
    failures: 0,
    leaseConflicts: 0,
    leasesLost: 0,
    skippedDisabled: 0,
  };
}
