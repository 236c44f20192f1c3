/**
 * The tables every SQL backend keeps, as kysely types. Table names here are
 * logical: {@link TableNamesPlugin} adds the schema and the table prefix.
 *
 * Keys are stored as UTF-8 bytes (`bytea` / `BLOB`): PostgreSQL text cannot
 * hold NUL, and bytes compare in code-point order in both stores. Rows are
 * found by a SHA-256 id of the key (see `storedKey`).
 *
 * @module
 */

/** Where a scheduled timeline stands; an absent timeline has no row. */
export type StoredState = 'waiting' | 'ready';

/**
 * One row per timeline that is `waiting` or `ready`.
 *
 * @example
 * ```ts
 * const row = await db.selectFrom('timelines').selectAll().where('timeline_id', '=', storedKey('mail:p:1').id).executeTakeFirst();
 * ```
 */
export interface TimelinesTable {
  /** SHA-256 of `timeline_key`: the primary key (keys can exceed an index entry). */
  timeline_id: Uint8Array;
  timeline_key: Uint8Array;
  state: StoredState;
  /** When the key becomes due (`waiting`) or became due (`ready`). */
  score: number;
  /** L: when the timeline was last digested successfully. */
  last_processed: number | null;
  lease_token: string | null;
  lease_expires_at: number | null;
  /** Last add, digest open or commit; `ttl` discards timelines untouched that long. */
  touched_at: number;
}

/**
 * One row per record, in the timeline (`snapshot = 0`) or in the snapshot of
 * a digest (`snapshot = 1`). A record key may be in both at once.
 *
 * @example
 * ```ts
 * const rows = await db.selectFrom('records').select(['record_key', 'timestamp']).where('snapshot', '=', 1).execute();
 * ```
 */
export interface RecordsTable {
  timeline_id: Uint8Array;
  snapshot: number;
  /** SHA-256 of `record_key`; `(timeline_id, snapshot, record_id)` is the primary key. */
  record_id: Uint8Array;
  record_key: Uint8Array;
  value: Uint8Array;
  /** 1 when the codec produced a string (stored as UTF-8), 0 for bytes. */
  value_is_text: number;
  timestamp: number;
}

/**
 * The database as the shared queries see it.
 *
 * @example
 * ```ts
 * const db = new Kysely<DigestsDatabase>({ dialect }).withPlugin(new TableNamesPlugin(names));
 * ```
 */
export interface DigestsDatabase {
  timelines: TimelinesTable;
  records: RecordsTable;
  quarantine: QuarantineTable;
  options: OptionsTable;
}

/**
 * One row per quarantined value (SPEC digest step 9): a snapshot record the
 * codec could not decode, kept raw until an operator deletes it. It outlives
 * the key's schedule row; `delete` removes it.
 *
 * @example
 * ```ts
 * const rows = await db.selectFrom('quarantine').select(['record_key', 'value']).where('timeline_id', '=', storedKey('mail:p:1').id).execute();
 * ```
 */
export interface QuarantineTable {
  timeline_id: Uint8Array;
  /** SHA-256 of `record_key`; `(timeline_id, record_id)` is the primary key. */
  record_id: Uint8Array;
  record_key: Uint8Array;
  value: Uint8Array;
  value_is_text: number;
  timestamp: number;
}

/**
 * One row per stored option value (core's `OptionsStorage`): the name as
 * UTF-8 bytes (names may hold NUL), found by its SHA-256 id, and the value's
 * UTF-8 bytes.
 *
 * @example
 * ```ts
 * const row = await db.selectFrom('options').select('value').where('name_id', '=', storedKey(name).id).executeTakeFirst();
 * ```
 */
export interface OptionsTable {
  /** SHA-256 of `name`: the primary key (a name can exceed an index entry). */
  name_id: Uint8Array;
  name: Uint8Array;
  value: Uint8Array;
}
