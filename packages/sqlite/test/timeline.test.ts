import { runWithTimeline, type TimedAction, Timeline } from '@digests/core';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteBackend } from '../src/index.js';

const T = 1_700_000_000_000;
const KEY = 'mail:p:1';

const details = (actions: readonly TimedAction[]) =>
  actions.map((a) => `${a.category} ${a.detail}`);
const transaction = (...statements: RegExp[]) => [
  /^sql begin immediate$/,
  ...statements,
  /^sql commit$/,
];

describe('every SQLite statement is an `sql` action of the timeline', () => {
  let now = T;
  const opened: SqliteBackend<string>[] = [];
  const backend = async () => {
    const b = new SqliteBackend<string>({ filename: ':memory:', clock: () => now });
    opened.push(b);
    await b.migrate();
    return b;
  };
  afterEach(async () => {
    now = T;
    vi.restoreAllMocks();
    await Promise.all(opened.splice(0).map((b) => b.close()));
  });

  it('add + digest + schedule record their statements in order, text only, never the values', async () => {
    const b = await backend();
    const timeline = await runWithTimeline(async (timeline) => {
      expect(await b.add(KEY, { key: 'secret-record', value: 'secret value', timestamp: T })).toBe(
        true,
      );
      now = T + 1_000;
      await b.digest(KEY, (records) => records.length);
      for await (const _ of b.schedule(T + 301_000));
      return timeline;
    });
    const expected = [
      ...transaction(
        /^sql select state, score, last_processed, live from "digests_timelines" where timeline_id = \?$/,
        /^sql insert into "digests_records" .* on conflict /,
        /^sql insert into "digests_timelines" /,
      ),
      ...transaction(
        /^sql select state, lease_token, lease_expires_at, live from "digests_timelines"/,
        // No snapshot left over: the timeline becomes the snapshot by flipping `live`.
        /^sql select 1 from "digests_records" where timeline_id = \? and snapshot = \? limit 1$/,
        /^sql select record_key, value, value_is_text, timestamp from "digests_records"/,
        /^sql update "digests_timelines" set lease_token = \?, .* live = \?/,
      ),
      ...transaction(
        /^sql select lease_token, live from "digests_timelines"/,
        /^sql delete from "digests_records" where timeline_id = \? and snapshot = \?$/,
        /^sql select 1 from "digests_records" where timeline_id = \? and snapshot = \? limit 1$/,
        /^sql update "digests_timelines" set state = 'waiting', score = \?, last_processed/,
      ),
      // Two schedule chunks: the due key, then none.
      ...transaction(/^sql update "digests_timelines" set "state" = \? where "timeline_id" in/),
      ...transaction(/^sql update "digests_timelines" set "state" = \? where "timeline_id" in/),
    ];
    expect(details(timeline.actions)).toEqual(expected.map((re) => expect.stringMatching(re)));
    for (const action of timeline.actions) {
      expect(action.detail).not.toMatch(/secret|mail:p:1|\n/);
      expect(action.detail.length).toBeLessThanOrEqual(200);
      expect(action.duration).toBeGreaterThanOrEqual(0);
    }
  });

  it('a statement that fails is recorded with its error, then the rollback', async () => {
    const database = new Database(':memory:');
    const b = new SqliteBackend<string>({ database, clock: () => now });
    await b.add(KEY, { key: 'e1', value: 'x', timestamp: T });
    database.exec('drop table digests_records');
    const timeline = new Timeline();
    const error = await runWithTimeline(
      () => b.add(KEY, { key: 'e2', value: 'y', timestamp: T }).catch((e: unknown) => e),
      timeline,
    );
    expect((error as Error).message).toMatch(/no such table/);
    const failed = timeline.actions.at(-2);
    expect(failed?.detail).toMatch(/^insert into "digests_records"/);
    expect(failed?.error).toBe(error);
    expect(details(timeline.actions).at(-1)).toBe('sql rollback');
    database.close();
  });

  it('without an active timeline nothing is recorded', async () => {
    const b = await backend();
    const start = vi.spyOn(Timeline.prototype, 'start');
    await b.add(KEY, { key: 'e1', value: 'x', timestamp: T });
    await b.digest(KEY, () => undefined);
    for await (const _ of b.schedule(Number.POSITIVE_INFINITY));
    await b.inspect(KEY);
    await b.maintenance(T);
    expect(start).not.toHaveBeenCalled();
  });
});
