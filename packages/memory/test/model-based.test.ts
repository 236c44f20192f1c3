import { runModelBasedConformance } from '@digests/conformance';
import { MemoryBackend } from '../src/index.js';

// The reference implementation against the reference model: cheap, so many runs.
runModelBasedConformance(
  {
    name: 'memory',
    create: async (options) => new MemoryBackend(options),
    storedItems: async (backend) => (backend as MemoryBackend).storedItems(),
  },
  { numRuns: 200, maxCommands: 50 },
);
