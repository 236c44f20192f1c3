import type { Backend, DigestFunction, DigestOptions, TimelineRecord } from '../backend.js';
import { InvalidStateError, LeaseConflictError, LeaseLostError } from '../errors.js';
import { newestFirst } from '../ordering.js';
import type { TransientPredicate } from '../retry/transient.js';
import type { Logger } from './logger.js';
import { PolyBackendError } from './poly-backend-error.js';
import { unavailable } from './settle.js';

type Opening<V> = { readonly records: readonly TimelineRecord<V>[] } | { readonly error: unknown };

interface InnerDigest<V> {
  /** Settles when the inner backend handed over its records, or failed to open. */
  readonly opened: Promise<Opening<V>>;
  /** Settles when the inner digest is over (committed, released or failed). */
  readonly finished: Promise<{ readonly error?: unknown; readonly failed: boolean }>;
}

/**
 * One digest over several inner backends (SPEC "Containers"): opens every
 * inner backend where `key` is ready, calls `fn` once with the merged records
 * (newest first, a record key once — the newer record wins, the earlier inner
 * backend's on a tie), and commits each inner digest only if `fn` succeeded.
 *
 * Each inner digest stays open inside its own `digest(key, innerFn)` call:
 * `innerFn` hands its records over, then waits for the shared outcome — it
 * resolves to commit (the inner backend keeps renewing its lease meanwhile)
 * or rejects to release.
 *
 * - Not ready anywhere → `InvalidStateError`; some inner backends unavailable
 *   and none opened → the unavailability (transient).
 * - Any inner backend's lease held → every opened digest is released and
 *   `LeaseConflictError` rejects; `fn` is not called.
 * - `fn` throws → every inner digest releases; the error is re-thrown.
 * - A commit loses its lease → the others still commit; `LeaseLostError`
 *   (the records stay where the lease was lost, to be delivered again).
 *
 * The caller validates `key`, `fn` and `options` first.
 *
 * @example
 * ```ts
 * const sent = await mergedDigest([primary, secondary], 'mail:p:1', send, {}, isTransient, logger);
 * ```
 */
export async function mergedDigest<V, R>(
  backends: readonly Backend<V>[],
  key: string,
  fn: DigestFunction<V, R>,
  options: DigestOptions | undefined,
  transient: TransientPredicate,
  logger: Logger,
): Promise<R> {
  const outcome = deferred();
  const inner = backends.map((backend) => openInner(backend, key, outcome.promise, options));
  const openings = await Promise.all(inner.map((digest) => digest.opened));

  const opened: number[] = [];
  const notReady: unknown[] = [];
  const down: unknown[] = [];
  const hard: unknown[] = [];
  openings.forEach((opening, index) => {
    if ('records' in opening) opened.push(index);
    else if (opening.error instanceof InvalidStateError) notReady.push(opening.error);
    else if (transient(opening.error)) {
      down.push(opening.error);
      logger.warn(`digest: skipped inner backend ${index}, it is unavailable`, {
        key,
        error: opening.error,
      });
    } else hard.push(opening.error);
  });
  const finished = opened.map((index) => inner[index]!.finished);

  if (hard.length > 0) {
    outcome.reject(new LeaseConflictError(`digest of ${key} abandoned before delivery`));
    await Promise.all(finished);
    throw hard.find((error) => error instanceof LeaseConflictError) ?? hard[0];
  }
  if (opened.length === 0) {
    if (down.length > 0) throw unavailable(down);
    throw notReady[0] ?? new InvalidStateError(`${key} is not ready`);
  }

  const records = mergeRecords(
    opened.map((index) => (openings[index] as { records: readonly TimelineRecord<V>[] }).records),
  );
  let result: R;
  try {
    result = await fn(records);
  } catch (error) {
    outcome.reject(error);
    await Promise.all(finished);
    throw error;
  }
  outcome.resolve();
  const errors = (await Promise.all(finished))
    .filter((done) => done.failed)
    .map((done) => done.error);
  if (errors.length === 0) return result;
  const lost = errors.find((error) => error instanceof LeaseLostError);
  if (lost !== undefined) throw lost;
  throw errors.length === 1 ? errors[0] : new PolyBackendError(errors);
}

/**
 * Merges snapshots of one key from several backends: a record key once (the
 * newer record; the earlier snapshot's on a tie), newest first.
 *
 * @example
 * ```ts
 * mergeRecords([[{ key: 'e1', value: 1, timestamp: 5 }], [{ key: 'e1', value: 2, timestamp: 9 }]]);
 * // → [{ key: 'e1', value: 2, timestamp: 9 }]
 * ```
 */
export function mergeRecords<V>(
  snapshots: readonly (readonly TimelineRecord<V>[])[],
): TimelineRecord<V>[] {
  const byKey = new Map<string, TimelineRecord<V>>();
  for (const snapshot of snapshots) {
    for (const record of snapshot) {
      const existing = byKey.get(record.key);
      if (existing === undefined || record.timestamp > existing.timestamp) {
        byKey.set(record.key, record);
      }
    }
  }
  return [...byKey.values()].sort(newestFirst);
}

function openInner<V>(
  backend: Backend<V>,
  key: string,
  outcome: Promise<void>,
  options: DigestOptions | undefined,
): InnerDigest<V> {
  let handOver!: (opening: Opening<V>) => void;
  const opened = new Promise<Opening<V>>((resolve) => {
    handOver = resolve;
  });
  const running = (async () =>
    backend.digest(
      key,
      async (records) => {
        handOver({ records });
        await outcome;
      },
      options,
    ))();
  // Whichever comes first: the records, or the end of a digest that never
  // called its function (a failure to open).
  const finished = running.then(
    () => {
      handOver({ error: new InvalidStateError(`${key} is not ready`) });
      return { failed: false };
    },
    (error: unknown) => {
      handOver({ error });
      return { failed: true, error };
    },
  );
  return { opened, finished };
}

function deferred(): { promise: Promise<void>; resolve(): void; reject(error: unknown): void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Rejections are observed by the inner functions that await it; nothing else.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
