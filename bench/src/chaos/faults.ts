/**
 * The faults a chaos run injects: SIGKILL a worker (mid-digest: workers
 * spend most of their time delivering), drop every store connection of the
 * chaos processes (`CLIENT KILL` on Redis, `pg_terminate_backend` filtered
 * by `application_name` on PostgreSQL, `KILL` of every connection to the
 * run's own database on MySQL), and SIGKILL + restart the private
 * Redis. SQLite has no connection to drop: killed workers leave open
 * transactions and leases behind instead.
 *
 * @module
 */

import type { PrivateRedisServer } from '@digests/redis/testing';
import { Redis } from 'ioredis';
import mysql from 'mysql2';
import pg from 'pg';
import { APPLICATION_PREFIX, type ChaosPlace } from './chaos-backend.js';

export interface FaultCounts {
  workersKilled: number;
  connectionsDropped: number;
  storeRestarts: number;
}

/**
 * Closes the chaos processes' connections to the store; resolves how many.
 *
 * @example
 * ```ts
 * const dropped = await dropConnections(place);
 * ```
 */
export async function dropConnections(place: ChaosPlace): Promise<number> {
  if (place.store === 'redis') {
    const admin = new Redis(place.target, { lazyConnect: true, maxRetriesPerRequest: 0 });
    admin.on('error', () => undefined);
    try {
      await admin.connect();
      // SKIPME yes (the default): every normal client but this one.
      return (await admin.client('KILL', 'TYPE', 'normal')) as number;
    } catch {
      return 0;
    } finally {
      admin.disconnect();
    }
  }
  if (place.store === 'postgres') {
    const client = new pg.Client({ connectionString: place.target });
    try {
      await client.connect();
      const { rowCount } = await client.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name LIKE $1 AND pid <> pg_backend_pid()`,
        [`${APPLICATION_PREFIX}-%`],
      );
      return rowCount ?? 0;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (place.store === 'mysql') {
    const admin = mysql.createConnection({ uri: place.target }).promise();
    try {
      const [rows] = await admin.query(
        'select id from information_schema.processlist where db = database() and id <> connection_id()',
      );
      let killed = 0;
      for (const { id } of rows as { id: number }[]) {
        await admin.query(`kill ${Number(id)}`).then(
          () => killed++,
          () => undefined, // already gone
        );
      }
      return killed;
    } finally {
      await admin.end().catch(() => undefined);
    }
  }
  return 0;
}

/** Restarts the private Redis (SIGKILL; AOF with `appendfsync always`). */
export async function restartStore(redis: PrivateRedisServer | undefined): Promise<boolean> {
  if (redis === undefined) return false;
  await redis.restart();
  return true;
}
