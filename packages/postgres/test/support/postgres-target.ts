import type { BackendOptions } from '@digests/core';
import { type DigestsDatabase, TableNamesPlugin } from '@digests/sql';
import type { SqlAdapterTarget } from '@digests/sql/testing';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { afterEach } from 'vitest';
import { PostgresBackend } from '../../src/index.js';

/**
 * SQL adapter cases on PostgreSQL: every backend in the file's schema with a
 * fresh prefix (unless the case names one); tables are read through the
 * test's own pool.
 */
export function postgresTarget(store: () => { pool: pg.Pool; schema: string }): SqlAdapterTarget {
  let created = 0;
  let opened: PostgresBackend[] = [];
  afterEach(async () => {
    await Promise.all(opened.map((b) => b.close()));
    opened = [];
  });
  const build = (options: BackendOptions<unknown> & { tablePrefix?: string }) => {
    const { pool, schema } = store();
    const backend = new PostgresBackend({
      tablePrefix: `a${++created}_`,
      ...options,
      pool,
      schema,
    });
    opened.push(backend);
    return backend;
  };
  return {
    name: 'postgres',
    liveSide: true,
    create: async (options) => build(options),
    sibling: async (_backend, options) => build(options),
    tables: async (backend) =>
      // Not destroyed: destroying would end the file's pool.
      new Kysely<DigestsDatabase>({
        dialect: new PostgresDialect({ pool: store().pool }),
      }).withPlugin(new TableNamesPlugin(backend.tableNames)),
  };
}
