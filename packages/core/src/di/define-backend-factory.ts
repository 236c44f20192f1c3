import { z } from 'zod';
import type { Backend } from '../backend.js';
import type { BackendFactory } from '../backend-factory.js';
import { ConfigurationError } from '../errors.js';
import type { BackendOptions } from '../options.js';
import { named, parseConfig } from './config-issue.js';

/**
 * What {@link defineBackendFactory} takes: a name, the adapter's own config
 * fields as a strict zod object, and a `create` that receives them parsed.
 *
 * @example
 * ```ts
 * const definition: BackendFactoryDefinition<typeof schema> = { name: 'my-store', configSchema: schema, create: (c, o) => new MyBackend({ ...o, ...c }) };
 * ```
 */
export interface BackendFactoryDefinition<S extends z.ZodObject> {
  readonly name: string;
  readonly configSchema: S;
  create(
    config: z.output<S>,
    options: BackendOptions<unknown>,
    path: string,
  ): Backend<unknown> | Promise<Backend<unknown>>;
}

/**
 * A `BackendFactory` whose config is checked against `configSchema` —
 * by the DI layer before anything is built, and again by `create` when it
 * is called directly — so every adapter reports an unknown or bad field
 * the same way: its path, what was wrong, the nearest valid name.
 *
 * @example
 * ```ts
 * import { defineBackendFactory, z } from '@digests/core';
 *
 * export const backendFactory = defineBackendFactory({
 *   name: 'my-store',
 *   configSchema: z.strictObject({ url: z.string().describe('where the store listens') }),
 *   create: ({ url }, options) => new MyBackend({ ...options, url }),
 * });
 * ```
 */
export function defineBackendFactory<S extends z.ZodObject>(
  definition: BackendFactoryDefinition<S>,
): BackendFactory {
  const { name, configSchema } = definition;
  // Called directly, create() may get a section without `backend`.
  const direct = named(
    configSchema.extend({
      backend: z.literal(name).optional(),
      options: z.unknown().optional(),
    }),
    `a field of a "${name}" config`,
  );
  return {
    name,
    configSchema,
    create(config, options, path) {
      const { backend: _backend, options: _options, ...fields } = parseConfig(direct, config, path);
      // A constructor's ConfigurationError names the field; the path says where it sits.
      const located = (error: unknown): unknown =>
        error instanceof ConfigurationError && !error.message.startsWith(path)
          ? new ConfigurationError(`${path}.${error.message}`, { cause: error })
          : error;
      let built: ReturnType<BackendFactory['create']>;
      try {
        built = definition.create(fields as z.output<S>, options, path);
      } catch (error) {
        throw located(error);
      }
      return built instanceof Promise
        ? built.catch((error: unknown) => {
            throw located(error);
          })
        : built;
    },
  };
}
