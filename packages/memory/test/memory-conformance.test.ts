import { runBackendConformance } from '@digests/conformance';
import { MemoryBackend } from '../src/index.js';

runBackendConformance({
  name: 'memory',
  create: async (options) => new MemoryBackend(options),
  storedItems: async (backend) => (backend as MemoryBackend).storedItems(),
});
