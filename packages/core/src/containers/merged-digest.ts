import type { Backend, DigestFunction, DigestOptions, TimelineRecord } from '../backend.js';
import { InvalidStateError, LeaseConflictError, LeaseLostError } from '../errors.js';
import { compareCodePoints, newestFirst } from '../ordering.js';
import type { TransientPredicate } from '../retry/transient.js';
import type { Logger } from './logger.js';
import { PolyBackendError } from './poly-backend-error.js';
import { unavailable } from './settle.js';

type Opening<V> = { readonly records: readonly TimelineRecord<V>[] } | { readonly error: unknown };

interface InnerDigest<V> {
  readonly index: number;
  /** Settles when the inner backend handed over its records, or failed to open. */
  readonly opened: Promise<Opening<V>>;
  /** Settles when the inner digest is over (committed, released or failed). */
  readonly finished: Promise<{ readonly error?: unknown; readonly failed: boolean }>;
  /** Lets the inner digest commit (after `fn` succeeded). */
  commit(): void;
  /** Makes the inner digest release its lease, keeping its records. */
  release(reason: unknown): void;
}

interface Participant<V> {
  readonly inner: InnerDigest<V>;
  readonly records: readonly TimelineRecord<V>[];
}

/**
 * How often a limited digest re-opens an inner backend whose share did not
 * fit before it leaves that backend out of this delivery.
 */
const MAX_SHRINK_ROUNDS = 3;

/** Why an inner digest is released before `fn` ran: its share is re-opened smaller. */
class Shrink extends Error {}

/**
 * One digest over several inner backends (SPEC "Containers"): opens every
 * inner backend where `key` is ready, calls `fn` once with the merged records
 * (newest first, a record key once — the newer record wins, the earlier inner
 * backend's on a tie), and commits each inner digest only if `fn` succeeded.
 *
 * Each inner digest stays open inside its own `digest(key, innerFn)` call:
 * `innerFn` hands its records over, then waits for its own verdict — it
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
 * With `limit` (SPEC digest step 8) `fn` gets at most `limit` records, and an
 * inner digest commits only when every record it handed over went to `fn`
 * (an inner backend cannot commit part of what it handed over). Each inner
 * backend is opened with `limit` and hands over its oldest `limit`; the
 * delivery is the oldest `limit` of their union (timestamp, then record key).
 * An inner backend whose share reaches past that is released and re-opened
 * with the size of its share within the delivery — its oldest records, so
 * the same ones — or released for good when its share is empty. If its
 * records keep changing under it, it is left out after a few rounds and the
 * delivery is what the remaining inner backends handed over. Nothing handed
 * to no one is removed; copies (poly) left in a released inner backend are
 * delivered again later, never lost. `containers/README.md` works through
 * poly, fallback and routing.
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
  const first = await openAll(
    backends.map((backend, index) => ({ backend, index })),
    key,
    options,
    transient,
    logger,
  );
  let participants = first.opened;
  if (first.hard.length > 0) return abandon(participants, first.hard);
  if (participants.length === 0) {
    if (first.down.length > 0) throw unavailable(first.down);
    throw first.notReady[0] ?? new InvalidStateError(`${key} is not ready`);
  }

  const limit = options?.limit;
  if (limit !== undefined) {
    participants = await fitToLimit(participants, backends, key, options, limit, transient, logger);
  }

  const records = mergeRecords(participants.map((participant) => participant.records));
  let result: R;
  try {
    result = await fn(records);
  } catch (error) {
    for (const { inner } of participants) inner.release(error);
    await Promise.all(participants.map(({ inner }) => inner.finished));
    throw error;
  }
  for (const { inner } of participants) inner.commit();
  const errors = (await Promise.all(participants.map(({ inner }) => inner.finished)))
    .filter((done) => done.failed)
    .map((done) => done.error);
  if (errors.length === 0) return result;
  const lost = errors.find((error) => error instanceof LeaseLostError);
  if (lost !== undefined) throw lost;
  throw errors.length === 1 ? errors[0] : new PolyBackendError(errors);
}

/**
 * Shrinks the participants of a limited digest until every one of them
 * handed over only records of the delivery (see {@link mergedDigest}).
 */
async function fitToLimit<V>(
  opened: readonly Participant<V>[],
  backends: readonly Backend<V>[],
  key: string,
  options: DigestOptions | undefined,
  limit: number,
  transient: TransientPredicate,
  logger: Logger,
): Promise<Participant<V>[]> {
  let participants = [...opened];
  for (let round = 0; ; round++) {
    const delivery = oldestKeys(
      participants.map((participant) => participant.records),
      limit,
    );
    const fits = (participant: Participant<V>) =>
      participant.records.every((record) => delivery.has(record.key));
    const over = participants.filter((participant) => !fits(participant));
    if (over.length === 0) return participants;
    participants = participants.filter(fits);
    const reopen: { backend: Backend<V>; index: number; limit: number }[] = [];
    for (const { inner, records } of over) {
      inner.release(new Shrink(`${key}: share re-opened smaller`));
      const share = records.filter((record) => delivery.has(record.key)).length;
      if (share > 0 && round < MAX_SHRINK_ROUNDS) {
        reopen.push({ backend: backends[inner.index]!, index: inner.index, limit: share });
      }
    }
    await Promise.all(over.map(({ inner }) => inner.finished));
    if (reopen.length === 0) {
      if (participants.length > 0) return participants;
      // Only when records kept changing under every round: nothing was handed on.
      throw new LeaseConflictError(`${key} kept changing while its digest opened; try again`);
    }
    const again = await openAll(reopen, key, options, transient, logger);
    participants.push(...again.opened);
    if (again.hard.length > 0) return abandon(participants, again.hard);
  }
}

async function openAll<V>(
  targets: readonly { backend: Backend<V>; index: number; limit?: number }[],
  key: string,
  options: DigestOptions | undefined,
  transient: TransientPredicate,
  logger: Logger,
): Promise<{
  opened: Participant<V>[];
  notReady: unknown[];
  down: unknown[];
  hard: unknown[];
}> {
  const inner = targets.map(({ backend, index, limit }) =>
    openInner(backend, index, key, limit === undefined ? options : { ...options, limit }),
  );
  const openings = await Promise.all(inner.map((digest) => digest.opened));
  const opened: Participant<V>[] = [];
  const notReady: unknown[] = [];
  const down: unknown[] = [];
  const hard: unknown[] = [];
  openings.forEach((opening, i) => {
    const digest = inner[i]!;
    if ('records' in opening) opened.push({ inner: digest, records: opening.records });
    else if (opening.error instanceof InvalidStateError) notReady.push(opening.error);
    else if (transient(opening.error)) {
      down.push(opening.error);
      logger.warn(`digest: skipped inner backend ${digest.index}, it is unavailable`, {
        key,
        error: opening.error,
      });
    } else hard.push(opening.error);
  });
  return { opened, notReady, down, hard };
}

/** Releases every opened inner digest and throws the failure that stopped the delivery. */
async function abandon<V>(
  participants: readonly Participant<V>[],
  hard: readonly unknown[],
): Promise<never> {
  const reason = new LeaseConflictError('digest abandoned before delivery');
  for (const { inner } of participants) inner.release(reason);
  await Promise.all(participants.map(({ inner }) => inner.finished));
  throw hard.find((error) => error instanceof LeaseConflictError) ?? hard[0];
}

/**
 * The record keys of the oldest `limit` records of the merged snapshots
 * (timestamp ascending, then record key ascending — SPEC digest step 8).
 */
function oldestKeys<V>(
  snapshots: readonly (readonly TimelineRecord<V>[])[],
  limit: number,
): Set<string> {
  const oldest = mergeRecords(snapshots).sort(
    (a, b) => a.timestamp - b.timestamp || compareCodePoints(a.key, b.key),
  );
  return new Set(oldest.slice(0, limit).map((record) => record.key));
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
  index: number,
  key: string,
  options: DigestOptions | undefined,
): InnerDigest<V> {
  let handOver!: (opening: Opening<V>) => void;
  const opened = new Promise<Opening<V>>((resolve) => {
    handOver = resolve;
  });
  const verdict = deferred();
  const running = (async () =>
    backend.digest(
      key,
      async (records) => {
        handOver({ records });
        await verdict.promise;
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
  return {
    index,
    opened,
    finished,
    commit: verdict.resolve,
    release: verdict.reject,
  };
}

function deferred(): { promise: Promise<void>; resolve(): void; reject(error: unknown): void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Rejections are observed by the inner function that awaits it; nothing else.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
