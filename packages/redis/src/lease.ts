import { randomUUID } from 'node:crypto';
import {
  type DigestSession,
  decodeRecords,
  InvalidStateError,
  LeaseConflictError,
  LeaseLostError,
  type ResolvedOptions,
} from '@digests/core';
import type { ShardKeys, TimelineKeys } from './keys.js';
import type { RunScript } from './lua-script.js';
import { numberArgument, readRecords } from './replies.js';
import { COMMIT_DIGEST } from './scripts/commit-digest.js';
import { RELEASE_LEASE, RENEW_LEASE } from './scripts/lease.js';
import { OPEN_DIGEST } from './scripts/open-digest.js';

/** One digest's view of its timeline. */
export interface LeaseTarget {
  readonly key: string;
  readonly shard: ShardKeys;
  readonly keys: TimelineKeys;
  readonly minimumDelay: number;
}

/**
 * How long Redis keeps a lease key after its last renewal. Only garbage
 * collection: whether a lease is held is decided by its `expires` field and
 * the backend's clock, so this is kept far beyond `leaseDuration`.
 *
 * @example
 * ```ts
 * leaseKeyLifetime(30_000); // 120_000
 * ```
 */
export function leaseKeyLifetime(leaseDuration: number): number {
  return Math.ceil(2 * leaseDuration + 60_000);
}

/**
 * Opens a digest in one script call: takes the lease (a fresh random token,
 * `expires = clock() + leaseDuration`), checks the state, moves the timeline
 * into the snapshot. The session renews and releases the lease by
 * compare-and-set on the token, and commits only while the token is ours.
 *
 * @example
 * ```ts
 * const session = await openDigest(run, options, { key, shard, keys, minimumDelay });
 * return runLeasedDigest(session, fn, options.leaseDuration);
 * ```
 */
export async function openDigest<V>(
  run: RunScript,
  options: ResolvedOptions<V>,
  target: LeaseTarget,
): Promise<DigestSession<V>> {
  const { key, shard, keys, minimumDelay } = target;
  const { clock, leaseDuration, capacity, ttl } = options;
  const lifetime = String(leaseKeyLifetime(leaseDuration));
  const token = randomUUID();
  const now = clock();
  const touch = ttl === undefined ? '' : numberArgument(now);
  const reply = (await run(
    OPEN_DIGEST,
    [
      keys.timeline,
      keys.values,
      keys.snapshot,
      keys.snapshotValues,
      keys.lease,
      shard.ready,
      shard.touched,
    ],
    [
      key,
      numberArgument(now),
      token,
      numberArgument(now + leaseDuration),
      lifetime,
      capacity === undefined ? '' : String(capacity),
      touch,
    ],
    `OPEN ${key}`,
  )) as unknown[];
  const status = String(reply[0]);
  if (status === 'conflict')
    throw new LeaseConflictError(`another digest holds the lease of ${key}`);
  if (status === 'state') throw new InvalidStateError(`${key} is not ready`);

  const release = async (): Promise<void> => {
    await run(RELEASE_LEASE, [keys.lease], [token], `RELEASE ${key}`);
  };
  let records: DigestSession<V>['records'];
  try {
    records = decodeRecords(options, readRecords(reply.slice(1)));
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
  return {
    records,
    release,
    renew: async () => {
      const expires = numberArgument(clock() + leaseDuration);
      const renewed = await run(
        RENEW_LEASE,
        [keys.lease],
        [token, expires, lifetime],
        `RENEW ${key}`,
      );
      return renewed === 1;
    },
    commit: async () => {
      const at = clock();
      const committed = await run(
        COMMIT_DIGEST,
        [
          keys.timeline,
          keys.values,
          keys.snapshot,
          keys.snapshotValues,
          keys.last,
          keys.lease,
          shard.waiting,
          shard.ready,
          shard.touched,
        ],
        [
          key,
          token,
          numberArgument(at),
          numberArgument(at + minimumDelay),
          ttl === undefined ? '' : '1',
        ],
        `COMMIT ${key}`,
      );
      if (committed === 0) {
        throw new LeaseLostError(
          `the lease of ${key} was taken by another digest; nothing was removed`,
        );
      }
    },
  };
}
