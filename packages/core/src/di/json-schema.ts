import { z } from 'zod';
import type { BackendFactory } from '../backend-factory.js';
import { configSchema } from './config-schema.js';

/**
 * The JSON Schema (draft 2020-12) of a config naming these adapters,
 * generated from the same schemas `validateConfig` checks with. Editors use
 * it for completion and to flag misspelled fields; the CLI ships it as
 * `digests.schema.json` (`npm run schema` regenerates it). What only a JS
 * config can hold (a `Codec`, a route function) is left out.
 *
 * @example
 * ```ts
 * import { backendFactory as redis } from '@digests/redis';
 * const schema = configJsonSchema([redis]);
 * await writeFile('digests.schema.json', `${JSON.stringify(schema, null, 2)}\n`);
 * ```
 */
export function configJsonSchema(factories: readonly BackendFactory[]): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema(factories), {
    io: 'input',
    // A Codec or a route function exists only in a JS config: no JSON value matches it.
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === 'custom') jsonSchema.not = {};
    },
  });
  return {
    $schema: generated.$schema,
    title: 'digests config',
    description:
      'A digests backend tree: an adapter (memory, sqlite, postgres, redis, mysql, …) or a container (null, poly, fallback, routing, retrying) nesting others.',
    ...Object.fromEntries(Object.entries(generated).filter(([key]) => key !== '$schema')),
  };
}
