import { runInputFuzzing } from '@digests/conformance';
import { MemoryBackend } from '../src/index.js';

runInputFuzzing(
  {
    name: 'memory',
    create: async (options) => new MemoryBackend(options),
    storedItems: async (backend) => (backend as MemoryBackend).storedItems(),
  },
  { numRuns: 200 },
);
