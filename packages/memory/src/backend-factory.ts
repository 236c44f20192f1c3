import { defineBackendFactory, z } from '@digests/core';
import { MemoryBackend } from './memory-backend.js';

/**
 * Builds a {@link MemoryBackend} from a config: `{ "backend": "memory" }`.
 * It has no fields of its own (only `options`); any other field is an error.
 *
 * @example
 * ```ts
 * const backend = await backendFactory.create({ backend: 'memory' }, { minimumDelay: 1000 }, 'root');
 * ```
 */
export const backendFactory = defineBackendFactory({
  name: 'memory',
  configSchema: z.strictObject({}).describe('in-process store: data lives as long as the process'),
  create: (_config, options) => new MemoryBackend(options),
});
