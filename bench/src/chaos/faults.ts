/**
 * The faults a chaos run injects: SIGKILL a worker (mid-digest: workers
 * spend most of their time delivering), drop every store connection of the
 * chaos processes (`CLIENT KILL` on Redis, `pg_terminate_backend` filtered
 * by `application_name` on PostgreSQL), and SIGKILL + restart the private
 * Redis. SQLite has no connection to drop: killed workers leave open
 * transactions and leases behind instead.
 *
 * @module
 */

import type { PrivateRedisServer } from '@digests/redis/testing';
import { Redis } from 'ioredis';
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
  return 0;
}

/** Restarts the private Redis (SIGKILL; AOF with `appendfsync always`). */
export async function restartStore(redis: PrivateRedisServer | undefined): Promise<boolean> {
  if (redis === undefined) return false;
  await redis.restart();
  return true;
}
