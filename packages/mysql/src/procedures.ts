import type { TableNames } from './table-names.js';

/**
 * The stored procedures of one store, named after its prefix. Each runs one
 * store step as one transaction on the server, so the step costs one round
 * trip (`call …`) instead of one per statement plus `begin` and `commit`.
 *
 * @example
 * ```ts
 * const { open } = procedureNames(tableNames('digests_')); // 'digests_open_digest'
 * ```
 */
export interface ProcedureNames {
  readonly add: string;
  readonly open: string;
  readonly commit: string;
}

/**
 * The procedure names for `names`' prefix (at most 40 + 13 characters).
 *
 * @example
 * ```ts
 * procedureNames(names).commit; // 'digests_commit_digest'
 * ```
 */
export function procedureNames(names: TableNames): ProcedureNames {
  return {
    add: `${names.prefix}add_one`,
    open: `${names.prefix}open_digest`,
    commit: `${names.prefix}commit_digest`,
  };
}

/**
 * Every procedure opens the same way: any error rolls the transaction back
 * and is raised again as is (a deadlock keeps its 1213, a lock wait timeout
 * its 1205, so the caller can run the step again); READ COMMITTED for this
 * transaction (row locks, no gap locks), whatever the session's level.
 */
const PROLOGUE = `
  declare exit handler for sqlexception begin rollback; resignal; end;
  set transaction isolation level read committed;
  start transaction;`;

/**
 * `create procedure` statements of migration 0002 (states: 0 waiting,
 * 1 ready, 2 an add's placeholder). Records of a timeline sit on two sides
 * (`records.side` 0 or 1): the side named by `timelines.timeline_side` is the
 * timeline, the other one the snapshot — so a digest opening a timeline with
 * no left-over snapshot turns every record into the snapshot by flipping
 * one column of one row, and a commit deletes one side.
 *
 * @example
 * ```ts
 * for (const statement of createProcedures(names)) await sql.raw(statement).execute(db);
 * ```
 */
export function createProcedures(names: TableNames): string[] {
  const { add, open, commit } = procedureNames(names);
  const t = `\`${names.timelines}\``;
  const r = `\`${names.records}\``;
  const oldest = `\`${names.records}_oldest\``;
  return [
    // One add without trimTo or flushThreshold: the record and the schedule rule (scheduleAfterAdd).
    `create procedure \`${add}\`(in p_id binary(32), in p_key varbinary(3072),
      in p_record_id binary(32), in p_record_key varbinary(3072), in p_value longblob,
      in p_is_text tinyint, in p_timestamp double, in p_increment double, in p_maximum double,
      in p_due double, in p_now double, in p_touch tinyint)
    sql security invoker
    body: begin
      declare v_state tinyint default null;
      declare v_score, v_last double;
      declare v_side tinyint;
      declare v_first tinyint default 0;
      declare v_was_state tinyint;
      declare v_was_score double;
      declare continue handler for not found begin end;
      ${PROLOGUE}
      -- A ready key without ttl bookkeeping only gains the record (add.2): a
      -- shared lock keeps digests out, but lets adds to the same key run side by side.
      select state, timeline_side into v_state, v_side from ${t} where timeline_id = p_id;
      if v_state = 1 and p_touch = 0 then
        -- A digest may have emptied and dropped the row meanwhile: then this
        -- read finds nothing, and (not found assigns nothing) v_state must
        -- not keep the unlocked read's 1.
        set v_state = null;
        select state, timeline_side into v_state, v_side
          from ${t} where timeline_id = p_id lock in share mode;
        if v_state = 1 then
          insert into ${r} (timeline_id, side, record_id, record_key, value, value_is_text, timestamp)
            values (p_id, v_side, p_record_id, p_record_key, p_value, p_is_text, p_timestamp)
            on duplicate key update value = values(value), value_is_text = values(value_is_text),
              timestamp = values(timestamp);
          commit;
          select 0 as first;
          leave body;
        end if;
        -- It changed meanwhile: give the shared lock back before asking for an exclusive one.
        commit;
        start transaction;
      end if;
      set v_state = null;
      select state, score, last_processed, timeline_side into v_state, v_score, v_last, v_side
        from ${t} where timeline_id = p_id for update;
      if v_state is null then
        insert into ${t} (timeline_id, timeline_key, state, score) values (p_id, p_key, 2, 0)
          on duplicate key update timeline_id = timeline_id;
        select state, score, last_processed, timeline_side into v_state, v_score, v_last, v_side
          from ${t} where timeline_id = p_id for update;
      end if;
      insert into ${r} (timeline_id, side, record_id, record_key, value, value_is_text, timestamp)
        values (p_id, v_side, p_record_id, p_record_key, p_value, p_is_text, p_timestamp)
        on duplicate key update value = values(value), value_is_text = values(value_is_text),
          timestamp = values(timestamp);
      set v_was_state = v_state, v_was_score = v_score;
      if v_state = 1 then
        set v_state = 1;
      elseif p_due is not null then
        if v_state = 0 then
          set v_score = least(v_score, p_due);
        elseif p_due <= p_now then
          set v_state = 1, v_score = p_due, v_first = 1;
        else
          set v_state = 0, v_score = p_due;
        end if;
      elseif v_state = 2 then
        set v_state = 1, v_score = p_timestamp, v_first = 1;
      elseif v_last is null then
        set v_score = least(v_score, p_timestamp);
      else
        set v_score = least(v_score + p_increment, v_last + p_maximum);
      end if;
      if v_state <> v_was_state or v_score <> v_was_score or p_touch = 1 then
        update ${t} set state = v_state, score = v_score,
          touched_at = if(p_touch = 1, p_now, touched_at)
          where timeline_id = p_id;
      end if;
      commit;
      select v_first as first;
    end`,
    // A digest opens: check, merge a left-over snapshot, trim, lease, read.
    `create procedure \`${open}\`(in p_id binary(32), in p_token varchar(64) character set ascii,
      in p_expires double, in p_now double, in p_touch tinyint, in p_capacity bigint,
      in p_limit bigint)
    sql security invoker
    begin
      declare v_state tinyint default null;
      declare v_token varchar(64) character set ascii;
      declare v_expires double;
      declare v_has, v_side, v_snap tinyint;
      declare v_cut_timestamp double default null;
      declare v_cut_key varbinary(3072);
      declare v_skip bigint;
      declare v_upto double default null;
      declare continue handler for not found begin end;
      ${PROLOGUE}
      select state, lease_token, lease_expires_at, has_snapshot, timeline_side
        into v_state, v_token, v_expires, v_has, v_side
        from ${t} where timeline_id = p_id for update;
      if v_token is not null and coalesce(v_expires, 0) > p_now then
        commit;
        select 'conflict' as outcome;
      elseif v_state is null or v_state <> 1 then
        commit;
        select 'not-ready' as outcome;
      else
        if v_has = 1 then
          -- Merge into the left-over snapshot: a record key in both keeps the newer, the timeline's on a tie.
          set v_snap = 1 - v_side;
          delete s from ${r} s join ${r} l
            on l.timeline_id = s.timeline_id and l.side = v_side and l.record_id = s.record_id
            where s.timeline_id = p_id and s.side = v_snap and l.timestamp >= s.timestamp;
          delete l from ${r} l join ${r} s
            on s.timeline_id = l.timeline_id and s.side = v_snap and s.record_id = l.record_id
            where l.timeline_id = p_id and l.side = v_side;
          update ${r} set side = v_snap where timeline_id = p_id and side = v_side;
        else
          -- No snapshot: the timeline becomes the snapshot as it is.
          set v_snap = v_side;
        end if;
        if p_capacity is not null then
          select timestamp, record_key into v_cut_timestamp, v_cut_key from ${r}
            where timeline_id = p_id and side = v_snap
            order by timestamp desc, record_key desc limit 1 offset p_capacity;
          if v_cut_timestamp is not null then
            delete from ${r} where timeline_id = p_id and side = v_snap
              and (timestamp < v_cut_timestamp
                or (timestamp = v_cut_timestamp and record_key <= v_cut_key));
          end if;
        end if;
        update ${t} set lease_token = p_token, lease_expires_at = p_expires, has_snapshot = 1,
          timeline_side = 1 - v_snap, touched_at = if(p_touch = 1, p_now, touched_at)
          where timeline_id = p_id;
        select 'opened' as outcome;
        if p_limit is not null then
          -- The limit-th oldest timestamp, from the index alone; then only rows up to it are read.
          set v_skip = p_limit - 1;
          select timestamp into v_upto from ${r} force index (${oldest})
            where timeline_id = p_id and side = v_snap order by timestamp limit 1 offset v_skip;
        end if;
        if v_upto is null then
          select record_key, value, value_is_text, timestamp from ${r}
            where timeline_id = p_id and side = v_snap;
        else
          select record_key, value, value_is_text, timestamp from ${r} force index (${oldest})
            where timeline_id = p_id and side = v_snap and timestamp <= v_upto
            order by timestamp asc, record_key asc limit p_limit;
        end if;
        commit;
      end if;
    end`,
    // A digest of the whole snapshot commits: delete it, then wait or drop the row.
    `create procedure \`${commit}\`(in p_id binary(32), in p_token varchar(64) character set ascii,
      in p_now double, in p_minimum double, in p_touch tinyint)
    sql security invoker
    begin
      declare v_token varchar(64) character set ascii default null;
      declare v_side tinyint;
      declare v_delivered bigint;
      declare continue handler for not found begin end;
      ${PROLOGUE}
      select lease_token, timeline_side into v_token, v_side
        from ${t} where timeline_id = p_id for update;
      if v_token is null or v_token <> p_token then
        commit;
        select 0 as ours;
      else
        delete from ${r} where timeline_id = p_id and side = 1 - v_side;
        set v_delivered = row_count();
        if v_delivered > 0
          or exists(select 1 from ${r} where timeline_id = p_id and side = v_side) then
          update ${t} set state = 0, score = p_now + p_minimum, lease_token = null,
            lease_expires_at = null, has_snapshot = 0, last_processed = p_now,
            touched_at = if(p_touch = 1, p_now, touched_at)
            where timeline_id = p_id;
        else
          delete from ${t} where timeline_id = p_id;
        end if;
        commit;
        select 1 as ours;
      end if;
    end`,
  ];
}

/**
 * `drop procedure` statements for {@link createProcedures}' procedures.
 *
 * @example
 * ```ts
 * for (const statement of dropProcedures(names)) await sql.raw(statement).execute(db);
 * ```
 */
export function dropProcedures(names: TableNames): string[] {
  return Object.values(procedureNames(names)).map((name) => `drop procedure if exists \`${name}\``);
}
