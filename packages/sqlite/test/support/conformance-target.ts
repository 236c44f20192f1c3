import type { ConformanceTarget } from '@digests/conformance';
import { afterAll } from 'vitest';
import { SqliteBackend } from '../../src/index.js';
import { tempDirectory } from './temp-files.js';

/**
 * A conformance target with a fresh database file per backend, in a
 * temporary directory named after `tag` that is removed after the file.
 *
 * @example
 * ```ts
 * runBackendConformance(sqliteTarget('conformance'));
 * ```
 */
export function sqliteTarget(tag: string): ConformanceTarget {
  const directory = tempDirectory(`digests-sqlite-${tag}`);
  afterAll(() => directory.remove());
  let created = 0;
  return {
    name: 'sqlite',
    create: async (options) =>
      new SqliteBackend({ ...options, filename: directory.file(`${++created}.db`) }),
    storedItems: (backend) => (backend as SqliteBackend).storedRows(),
  };
}
