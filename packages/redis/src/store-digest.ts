import type { CommitRequest, OpenRequest, OpenResult } from '@digests/core';
import { HandedSnapshots } from './handed-snapshots.js';
import { type ShardKeys, timelineKeys } from './keys.js';
import { leaseKeyLifetime } from './lease.js';
import type { RedisClient, ScriptArgument, SendScript } from './lua-script.js';
import { exactText, openWhole } from './open-whole.js';
import { newestFirst, numberArgument } from './replies.js';
import { SCRIPTS } from './scripts.js';

/**
 * A digest's two round trips on Redis, `open` and `commit`, and what links
 * them: the snapshots handed whole ({@link HandedSnapshots}), whose commit
 * drops the snapshot instead of naming every record.
 *
 * @example
 * ```ts
 * const digests = new DigestSteps(client, send, explain);
 * const opened = await digests.open(shard, request);
 * ```
 */
export class DigestSteps {
  readonly #client: RedisClient;
  readonly #send: SendScript;
  readonly #explain: (error: unknown) => unknown;
  readonly #handed = new HandedSnapshots();
  readonly #textValues: boolean;

  constructor(
    client: RedisClient,
    send: SendScript,
    explain: (error: unknown) => unknown,
    textValues: boolean,
  ) {
    this.#client = client;
    this.#textValues = textValues;
    this.#send = send;
    this.#explain = explain;
  }

  /**
   * Takes the lease and the snapshot (`open-snapshot.lua`). Without `limit`:
   * `open-whole.lua` and the plain reads of the snapshot in one pipeline;
   * with one: `open.lua`, which reads the oldest `limit` records itself.
   * Either is one round trip.
   */
  async open(shard: ShardKeys, request: OpenRequest): Promise<OpenResult> {
    const { key, now, expiresAt } = request;
    const keys = timelineKeys(shard, key);
    const argv: ScriptArgument[] = [
      '7',
      keys.timeline,
      keys.values,
      keys.snapshot,
      keys.snapshotValues,
      keys.lease,
      shard.ready,
      shard.touched,
      key,
      numberArgument(now),
      request.token,
      numberArgument(expiresAt),
      String(leaseKeyLifetime(expiresAt, now)),
      request.capacity === undefined ? '' : String(request.capacity),
      request.limit === undefined ? '' : String(request.limit),
      request.touch ? numberArgument(now) : '',
    ];
    // Its commit names no records: nothing to remember.
    if (request.limit === undefined)
      return openWhole(this.#client, keys, argv, this.#textValues, this.#explain);
    const text = this.#textValues;
    const reply = (await this.#send(SCRIPTS.open, argv, () => `OPEN ${key}`, text)) as unknown[];
    const outcome = String(reply[0]);
    if (outcome === 'conflict') return { outcome: 'conflict' };
    if (outcome === 'not-ready') return { outcome: 'not-ready' };
    const ids = reply[1] as unknown[];
    const records = newestFirst(ids, reply[2] as unknown[]);
    if (text) await exactText(this.#client, keys, records);
    if (ids.length / 2 === Number(reply[3])) this.#handed.remember(request.token, records);
    return { outcome: 'opened', records };
  }

  /** Removes what the digest delivered (`commit.lua`); false when the lease was lost. */
  async commit(shard: ShardKeys, request: CommitRequest): Promise<boolean> {
    const { key, now, token, delivered } = request;
    const keys = timelineKeys(shard, key);
    const argv: ScriptArgument[] = [
      '9',
      keys.timeline,
      keys.values,
      keys.snapshot,
      keys.snapshotValues,
      keys.last,
      keys.lease,
      shard.waiting,
      shard.ready,
      shard.touched,
      key,
      token,
      numberArgument(now),
      numberArgument(now + request.minimumDelay),
      request.touch ? '1' : '',
    ];
    // A limited digest that delivered every record it was handed, when it
    // was handed the whole snapshot, delivered the whole snapshot.
    if (delivered === undefined || this.#handed.deliveredAll(token, delivered)) {
      argv.push('all');
    } else {
      argv.push('named', ...delivered);
    }
    const reply = await this.#send(SCRIPTS.commit, argv, () => `COMMIT ${key}`);
    return reply !== 0;
  }

  /** Extends the lease if `token` still holds it (`renew.lua`). */
  async renew(shard: ShardKeys, key: string, token: string, expiresAt: number): Promise<boolean> {
    const lease = `${shard.prefix}lease:${key}`;
    const reply = await this.#send(
      SCRIPTS.renew,
      ['1', lease, token, numberArgument(expiresAt)],
      () => `RENEW ${key}`,
    );
    return reply === 1;
  }

  /** Gives the lease back if `token` holds it (`release.lua`). */
  async release(shard: ShardKeys, key: string, token: string): Promise<void> {
    this.#handed.forget(token);
    await this.#send(
      SCRIPTS.release,
      ['1', `${shard.prefix}lease:${key}`, token],
      () => `RELEASE ${key}`,
    );
  }

  /** Moves the named snapshot records, raw, into the key's quarantine (`quarantine.lua`). */
  async quarantine(
    shard: ShardKeys,
    key: string,
    token: string,
    recordKeys: readonly string[],
  ): Promise<void> {
    // The snapshot is no longer what open handed: commit by name.
    this.#handed.forget(token);
    const keys = timelineKeys(shard, key);
    await this.#send(
      SCRIPTS.quarantine,
      [
        '5',
        keys.snapshot,
        keys.snapshotValues,
        keys.quarantine,
        keys.quarantineValues,
        keys.lease,
        token,
        ...recordKeys,
      ],
      () => `QUARANTINE ${key} ×${recordKeys.length}`,
    );
  }
}
