import { z } from 'zod';

/**
 * The config fields every table-based store shares (SQLite, PostgreSQL,
 * MySQL, a third party's): the table prefix and whether to migrate before
 * the first operation. Spread them into an adapter's `configSchema`.
 *
 * @example
 * ```ts
 * const configSchema = z.strictObject({ url: z.string(), ...tableFields('table and index') });
 * ```
 */
export function tableFields(objects = 'table and index') {
  return {
    tablePrefix: z
      .string({ error: 'must be a string' })
      .describe(`prefix of every ${objects} (default "digests_")`)
      .optional(),
    autoMigrate: z
      .boolean({ error: 'must be a boolean' })
      .describe('create or upgrade the tables before the first operation (default true)')
      .optional(),
  };
}
