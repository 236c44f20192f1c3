import { digestThroughKills } from '@digests/core/testing';
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

/**
 * Where the server thread of the backend's connection is killed (`KILL <id>`)
 * while a digest's function runs:
 * - `idle`: every pooled connection, while no statement runs;
 * - a number n: the connection of the commit step, just before its n-th
 *   statement (0: the commit's one statement, a `call` of `commit_digest`,
 *   which locks the row and deletes on the server in one transaction).
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

  for (const point of ['idle', 0] as KillPoint[]) {
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
      const run = await digestThroughKills(
        (clock) =>
          new MysqlBackend({ pool, tablePrefix, clock, leaseDuration: 1_000, minimumDelay: 0 }),
        async () => {
          if (point !== 'idle') {
            trap.armed = point;
            return;
          }
          for (const thread of threads) trap.killed += await kill(thread);
          threads.clear();
        },
      );
      expect(trap.killed).toBeGreaterThan(0);
      // A commit cut short by KILL fails as unavailable (retrying helps), never silently.
      if (point !== 'idle') expect(run.unavailable).toBe(6);
      expect(new Set(run.delivered)).toEqual(new Set(run.expected));
      expect(run.storedAfter).toBe(0);
      console.log(
        `${title}: killed ${trap.killed}; ${run.unavailable} digests failed BackendUnavailableError; ` +
          `${run.delivered.length} deliveries of ${run.expected.length} records, none lost`,
      );
      await raw.promise().end();
    });
  }
});
