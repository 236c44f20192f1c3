import { runModelBasedConformance } from '@digests/core/conformance';
import { afterAll } from 'vitest';
import { SqliteBackend } from '../src/index.js';
import { tempDirectory } from './support/temp-files.js';

const directory = tempDirectory('digests-sqlite-model');
afterAll(() => directory.remove());
let created = 0;

// A fresh database file per generated sequence.
runModelBasedConformance(
  {
    name: 'sqlite',
    create: async (options) =>
      new SqliteBackend({ ...options, filename: directory.file(`${++created}.db`) }),
    storedItems: (backend) => (backend as SqliteBackend).storedRows(),
  },
  { numRuns: 40, maxCommands: 40 },
);
