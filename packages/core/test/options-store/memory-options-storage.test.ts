import { runOptionsStorageConformance } from '@digests/conformance';
import { MemoryOptionsStorage } from '../../src/options-store/memory-options-storage.js';

runOptionsStorageConformance({ name: 'memory', create: async () => new MemoryOptionsStorage() });
