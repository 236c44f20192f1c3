/**
 * The Redis key layout (the package README shows it with `redis-cli`).
 *
 * Every key of namespace `d` starts with a hash tag `{d:<shard>}`, so all keys
 * of one shard — its schedule sets and the keys of every timeline in it —
 * live in one cluster hash slot, and one Lua script may touch them all.
 *
 * ```text
 * {d:3}:waiting                  zset  timeline key → when it becomes due
 * {d:3}:ready                    zset  timeline key → when it became due
 * {d:3}:touched                  zset  timeline key → last add/digest (only with `ttl`)
 * {d:3}:timeline:<key>           zset  record key → timestamp
 * {d:3}:values:<key>             hash  record key → encoded value
 * {d:3}:snapshot:<key>           zset  record key → timestamp (records a digest holds)
 * {d:3}:snapshot-values:<key>    hash  record key → encoded value
 * {d:3}:last:<key>               string  last processed (L), ms since the epoch
 * {d:3}:lease:<key>              hash  token, expires (ms since the epoch, by `clock`)
 * {d:3}:quarantine:<key>         zset  record key → timestamp (values the codec could not decode)
 * {d:3}:quarantine-values:<key>  hash  record key → the stored value, raw
 * ```
 *
 * Why two keys never collide: the namespace has no `:`, `{`, `}` or glob
 * characters, so the text before the first `:` names the namespace and the
 * tag ends at the first `}`; the kind (`timeline`, `values`, …) has no `:`;
 * the timeline key follows as its raw UTF-8 bytes, braces and all, after the
 * tag has closed, so it never changes the hash slot.
 *
 * @module
 */

/** Namespaces are short and plain: they sit inside the hash tag and in SCAN patterns. */
export const NAMESPACE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** The per-timeline keys, in the order the Lua scripts expect them. */
export interface TimelineKeys {
  readonly timeline: string;
  readonly values: string;
  readonly snapshot: string;
  readonly snapshotValues: string;
  readonly last: string;
  readonly lease: string;
  readonly quarantine: string;
  readonly quarantineValues: string;
}

/** The schedule sets of one shard. */
export interface ShardKeys {
  /** The shard's number, 0 ≤ index < shards (it names the shard in timelines). */
  readonly index: number;
  /** `{ns:shard}:` — the Lua scripts build timeline keys from it. */
  readonly prefix: string;
  readonly waiting: string;
  readonly ready: string;
  readonly touched: string;
}

const encoder = new TextEncoder();

/**
 * The shard of a timeline key: FNV-1a (32 bit) of its UTF-8 bytes, modulo
 * `shards`. Stable across processes and versions — changing it would strand data.
 *
 * @example
 * ```ts
 * shardOf('mail:p:1', 16); // 10
 * ```
 */
export function shardOf(key: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(key)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/**
 * The schedule keys of shard `shard` in `namespace`.
 *
 * @example
 * ```ts
 * shardKeys('d', 3).waiting; // '{d:3}:waiting'
 * ```
 */
export function shardKeys(namespace: string, shard: number): ShardKeys {
  const prefix = `{${namespace}:${shard}}:`;
  return {
    index: shard,
    prefix,
    waiting: `${prefix}waiting`,
    ready: `${prefix}ready`,
    touched: `${prefix}touched`,
  };
}

/**
 * Every key of one timeline, built from its shard's prefix. The Lua scripts
 * that walk the schedule (maintenance, expiry, list) build the same names
 * from `prefix` — keep the two in step (see `scripts/includes/forget.lua`).
 *
 * @example
 * ```ts
 * timelineKeys(shardKeys('d', 10), 'mail:p:1').timeline; // '{d:10}:timeline:mail:p:1'
 * ```
 */
export function timelineKeys(shard: ShardKeys, key: string): TimelineKeys {
  const { prefix } = shard;
  return {
    timeline: `${prefix}timeline:${key}`,
    values: `${prefix}values:${key}`,
    snapshot: `${prefix}snapshot:${key}`,
    snapshotValues: `${prefix}snapshot-values:${key}`,
    last: `${prefix}last:${key}`,
    lease: `${prefix}lease:${key}`,
    quarantine: `${prefix}quarantine:${key}`,
    quarantineValues: `${prefix}quarantine-values:${key}`,
  };
}

/**
 * The SCAN pattern matching every key of `namespace` and nothing else.
 *
 * @example
 * ```ts
 * namespacePattern('d'); // '{d:*'
 * ```
 */
export function namespacePattern(namespace: string): string {
  return `{${namespace}:*`;
}

/**
 * The SCAN pattern matching the timeline and schedule keys of `namespace`
 * (the shard tags `{ns:<number>}`), not the options hash `{ns:options}`.
 *
 * @example
 * ```ts
 * shardPattern('d'); // '{d:[0-9]*'
 * ```
 */
export function shardPattern(namespace: string): string {
  return `{${namespace}:[0-9]*`;
}
