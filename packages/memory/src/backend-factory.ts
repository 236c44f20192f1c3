import type { BackendFactory } from '@digests/core';
import { MemoryBackend } from './memory-backend.js';

/**
 * Builds a {@link MemoryBackend} from a config: `{ "backend": "memory" }`.
 *
 * @example
 * ```ts
 * const backend = await backendFactory.create({ backend: 'memory' }, { minimumDelay: 1000 }, 'root');
 * ```
 */
export const backendFactory: BackendFactory = {
  name: 'memory',
  create: (_config, options) => new MemoryBackend(options),
};
