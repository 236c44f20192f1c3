/**
 * How a digest's lease lives in Redis: a hash `{ns:S}:lease:<key>` with the
 * holder's `token` and `expires` (ms since the epoch, by the backend's
 * clock) and `lifetime` (the key's PEXPIRE in ms, reapplied on every
 * renewal). A lease is held while `expires > now`; it is taken by
 * `scripts/open.lua`, renewed and released by compare-and-set on the token
 * (`renew.lua`, `release.lua`) and dropped by `commit.lua`. The front decides
 * when to renew; the store only performs the steps.
 *
 * @module
 */

/**
 * How long Redis keeps a lease key after its last renewal. Only garbage
 * collection: whether a lease is held is decided by its `expires` field and
 * the backend's clock, so this is kept far beyond the lease itself.
 *
 * @example
 * ```ts
 * leaseKeyLifetime(1_700_000_030_000, 1_700_000_000_000); // 120_000
 * ```
 */
export function leaseKeyLifetime(expiresAt: number, now: number): number {
  const duration = Math.max(0, expiresAt - now);
  return Math.ceil(2 * duration + 60_000);
}
