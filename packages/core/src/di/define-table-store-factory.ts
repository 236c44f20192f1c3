import { z } from 'zod';
import type { Backend } from '../backend.js';
import type { BackendFactory } from '../backend-factory.js';
import type { BackendOptions } from '../options.js';
import { defineBackendFactory } from './define-backend-factory.js';
import { tableFields } from './table-fields.js';

/**
 * What {@link defineTableStoreFactory} takes: the config name, the fields
 * that say where the store lives, a description, and the backend class,
 * built with the parsed config spread over the shared options.
 *
 * @example
 * ```ts
 * const definition: TableStoreFactoryDefinition<{ url: z.ZodString }> = {
 *   name: 'my-store', description: 'my store', fields: { url: z.string() }, backend: MyBackend,
 * };
 * ```
 */
export interface TableStoreFactoryDefinition<F extends z.ZodRawShape> {
  /** The name configs use (`"backend": "mysql"`). */
  readonly name: string;
  /** One line on the store, shown in the config's JSON schema. */
  readonly description: string;
  /** What the table prefix applies to. Default `'table and index'`. */
  readonly objects?: string;
  /** The adapter's own fields (where the store lives); `tablePrefix` and `autoMigrate` are added. */
  readonly fields: F;
  /** The backend class; it gets the shared options with the config's fields over them. */
  readonly backend: new (
    options: BackendOptions<unknown> & z.output<z.ZodObject<F>>,
  ) => Backend<unknown>;
}

/**
 * A {@link BackendFactory} for a table store (SQLite, PostgreSQL, MySQL, a
 * third party's): its config is the adapter's own fields plus
 * `tablePrefix` and `autoMigrate`, strictly checked.
 *
 * @example
 * ```ts
 * export const backendFactory = defineTableStoreFactory({
 *   name: 'my-store',
 *   description: 'my store through my-client',
 *   fields: { url: locationField('must be a non-empty URL', 'where the store listens') },
 *   backend: MyBackend,
 * });
 * ```
 */
export function defineTableStoreFactory<F extends z.ZodRawShape>(
  definition: TableStoreFactoryDefinition<F>,
): BackendFactory & { readonly configSchema: z.ZodObject } {
  const configSchema = z
    .strictObject({ ...definition.fields, ...tableFields(definition.objects) })
    .describe(definition.description);
  const Built = definition.backend;
  const factory = defineBackendFactory({
    name: definition.name,
    configSchema,
    create: (config, options) => new Built({ ...options, ...(config as z.output<z.ZodObject<F>>) }),
  });
  return { ...factory, configSchema };
}
