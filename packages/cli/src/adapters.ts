/**
 * The adapters the `digests` command knows without importing anything at
 * run time: their factories are registered with the DI container, so a
 * config naming one of them is checked whole — every node against its
 * schema — before any store is opened. The JSON Schema file
 * (`digests.schema.json`) is generated from the same list.
 *
 * @module
 */
import type { BackendFactory } from '@digests/core';
import { backendFactory as memory } from '@digests/memory';
import { backendFactory as mysql } from '@digests/mysql';
import { backendFactory as postgres } from '@digests/postgres';
import { backendFactory as redis } from '@digests/redis';
import { backendFactory as sqlite } from '@digests/sqlite';

/**
 * Every adapter factory the CLI ships with.
 *
 * @example
 * ```ts
 * const container = await createDigestsContainer(config, { factories: ADAPTERS });
 * ```
 */
export const ADAPTERS: readonly BackendFactory[] = Object.freeze([
  memory,
  sqlite,
  postgres,
  mysql,
  redis,
]);
