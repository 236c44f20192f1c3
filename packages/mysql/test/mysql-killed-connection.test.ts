import { BackendUnavailableError, type TimelineRecord } from '@digests/core';
import mysql from 'mysql2';
import { afterAll, describe, expect, it } from 'vitest';
import { type Mysql2Connection, type Mysql2Pool, MysqlBackend } from '../src/index.js';
import {
  dropTables,
  MYSQL_URL,
  requireMysql,
  testPool,
  uniquePrefix,
} from './support/mysql-server.js';

const available = await requireMysql();
const T = 1_700_000_000_000;

/**
 * Where the server thread of the backend's connection is killed (`KILL <id>`)
 * while a digest's function runs:
 * - `idle`: every pooled connection, while no statement runs;
 * - a number n: the connection of the commit step, just before its n-th
 *   statement (0: `begin`; 2: after the timeline row was locked).
 */
type KillPoint = 'idle' | number;

describe.skipIf(!available)('MySQL connection killed mid-digest', () => {
  const { pool: admin, end } = testPool();
  const prefixes: string[] = [];
  afterAll(async () => {
    await dropTables(admin, prefixes);
    await end();
  });
  const kill = (thread: number) =>
    admin
      .promise()
      .query(`kill ${thread}`)
      .then(
        () => 1,
        () => 0,
      );

  for (const point of ['idle', 0, 2] as KillPoint[]) {
    const title =
      point === 'idle'
        ? 'idle connections killed while fn runs'
        : `the commit's connection killed before its statement ${point}`;
    it(`loses nothing (${title})`, async () => {
      // The backend's own pool: the test sees its connections and their server threads.
      const raw = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 2 });
      const threads = new Set<number>();
      raw.on('connection', (connection) => {
        connection.on('error', () => undefined);
        if (connection.threadId !== null) threads.add(connection.threadId);
      });
      const trap = { armed: undefined as number | undefined, killed: 0 };
      const wrapped = new WeakMap<Mysql2Connection, Mysql2Connection>();
      const trapped = (connection: Mysql2Connection): Mysql2Connection => ({
        get threadId() {
          return connection.threadId;
        },
        query(options, callback) {
          if (callback !== undefined && trap.armed !== undefined && trap.armed-- === 0) {
            trap.armed = undefined;
            void kill(connection.threadId ?? -1).then((n) => {
              trap.killed += n;
              connection.query(options, callback);
            });
            return undefined;
          }
          return connection.query(options, callback);
        },
        execute: (options, callback) => connection.execute(options, callback),
        unprepare: (sql) => connection.unprepare(sql),
        release: () => connection.release(),
        destroy: () => connection.destroy(),
      });
      const pool: Mysql2Pool = {
        getConnection(callback) {
          (raw as unknown as Mysql2Pool).getConnection((error, connection) => {
            if (error) return callback(error, connection);
            let trappedConnection = wrapped.get(connection);
            if (trappedConnection === undefined) {
              trappedConnection = trapped(connection);
              wrapped.set(connection, trappedConnection);
            }
            callback(null, trappedConnection);
          });
        },
        end: (callback) => raw.end(callback),
      };

      const tablePrefix = uniquePrefix('kill');
      prefixes.push(tablePrefix);
      let now = T;
      const backend = new MysqlBackend({
        pool,
        tablePrefix,
        clock: () => now,
        leaseDuration: 1_000,
        minimumDelay: 0,
      });
      const keys = Array.from({ length: 6 }, (_, i) => `mail:p:${i}`);
      const expected: string[] = [];
      for (let i = 0; i < 60; i++) {
        const key = keys[i % keys.length]!;
        expected.push(`${key}/e${i}`);
        await backend.add(key, { key: `e${i}`, value: { i }, timestamp: T + i });
      }
      const delivered: string[] = [];
      const note = (key: string, records: readonly TimelineRecord[]) => {
        for (const r of records) delivered.push(`${key}/${r.key}`);
      };

      let unavailable = 0;
      for (const key of keys) {
        await backend
          .digest(key, async (records) => {
            if (point === 'idle') {
              for (const thread of threads) trap.killed += await kill(thread);
              threads.clear();
            } else {
              trap.armed = point;
            }
            note(key, records);
          })
          .catch((error: unknown) => {
            expect(error).toBeInstanceOf(BackendUnavailableError);
            unavailable++;
          });
      }
      expect(trap.killed).toBeGreaterThan(0);
      // A commit cut short by KILL fails as unavailable (retrying helps), never silently.
      if (point !== 'idle') expect(unavailable).toBe(keys.length);

      // Once the leases of the interrupted digests expire, everything left is delivered.
      now += 2_000;
      for (let round = 0; round < 5 && (await backend.storedRows()) > 0; round++) {
        await backend.maintenance(now);
        for await (const { key } of backend.schedule(now)) {
          await backend.digest(key, (records) => note(key, records));
        }
      }
      expect(new Set(delivered)).toEqual(new Set(expected));
      expect(await backend.storedRows()).toBe(0);
      console.log(
        `${title}: killed ${trap.killed}; ${unavailable} digests failed BackendUnavailableError; ` +
          `${delivered.length} deliveries of ${expected.length} records, none lost`,
      );
      await backend.close();
      await raw.promise().end();
    });
  }
});
