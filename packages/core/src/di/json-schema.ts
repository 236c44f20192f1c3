import { z } from 'zod';
import type { BackendFactory } from '../backend-factory.js';
import { configSchema, windowSchema, workerSchema } from './config-schema.js';
import { optionsSchema } from './options-config.js';

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
  // Named parts appear once, in $defs, and are referenced elsewhere. The ids
  // live in a registry of our own (not zod's global one, which a second call
  // would collide in); descriptions still come from the global one.
  const registry = z.registry<{ id?: string; description?: string }>();
  registry.add(optionsSchema, { id: 'options' });
  registry.add(windowSchema, { id: 'window' });
  registry.add(workerSchema, { id: 'worker' });
  const own = registry.get.bind(registry);
  registry.get = (schema) => {
    const meta = { ...z.globalRegistry.get(schema), ...own(schema) };
    return Object.keys(meta).length === 0 ? undefined : meta;
  };
  const generated = z.toJSONSchema(configSchema(factories, registry), {
    io: 'input',
    metadata: registry,
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
