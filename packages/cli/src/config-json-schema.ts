/**
 * The JSON Schema of `digests` configs, as the CLI ships it in
 * `digests.schema.json`: generated from the same zod schemas the config is
 * checked with (`npm run schema -w packages/cli` rewrites the file; a test
 * fails when the committed file is out of date).
 *
 * @module
 */
import { configJsonSchema } from '@digests/core';
import { ADAPTERS } from './adapters.js';

/** Where the schema file lives, relative to the package root. */
export const SCHEMA_FILE = 'digests.schema.json';

/**
 * The schema file's text: pretty JSON ending in a newline.
 *
 * @example
 * ```ts
 * await writeFile(SCHEMA_FILE, configSchemaText());
 * ```
 */
export function configSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(ADAPTERS), null, 2)}\n`;
}
