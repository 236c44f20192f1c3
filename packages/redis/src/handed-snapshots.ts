import type { StoredRecord } from '@digests/core';

/** Past this many open digests remembered, the memory starts over (see below). */
const MAX_REMEMBERED = 10_000;

/**
 * The digests (by lease token) whose `open` handed the whole snapshot,
 * with the records it handed. Their commit may then say "all" — drop the
 * snapshot, O(1) with UNLINK — instead of naming up to `limit` record keys
 * for ZREM and HDEL, exactly when the delivered keys are the handed ones:
 * while the token holds the lease nothing adds to the snapshot (`open`
 * needs the lease, `remove` and `expire` leave a leased snapshot alone),
 * so it holds at most the handed records.
 *
 * Only a shortcut: a token it does not know (another process opened it, a
 * quarantine happened, the memory started over) commits by name as
 * before. Entries go at commit, release and quarantine; if more than
 * 10 000 digests are open at once (abandoned ones never come back), it
 * forgets them all.
 *
 * @example
 * ```ts
 * handed.remember(token, records);
 * const all = handed.deliveredAll(token, delivered); // and forgets the token
 * ```
 */
export class HandedSnapshots {
  readonly #byToken = new Map<string, readonly StoredRecord[]>();

  remember(token: string, records: readonly StoredRecord[]): void {
    if (this.#byToken.size >= MAX_REMEMBERED) this.#byToken.clear();
    this.#byToken.set(token, records);
  }

  /**
   * Whether `delivered` names exactly the records handed under `token`, in
   * the order handed (core names them so); forgets the token either way.
   */
  deliveredAll(token: string, delivered: readonly string[]): boolean {
    const records = this.#byToken.get(token);
    if (records === undefined) return false;
    this.#byToken.delete(token);
    if (records.length !== delivered.length) return false;
    for (let i = 0; i < records.length; i++) {
      if (records[i]!.key !== delivered[i]) return false;
    }
    return true;
  }

  forget(token: string): void {
    this.#byToken.delete(token);
  }
}
