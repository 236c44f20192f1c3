import { runOptionsStorageConformance } from '../../src/conformance/options-storage.js';
import { MemoryOptionsStorage } from '../../src/options-store/memory-options-storage.js';

runOptionsStorageConformance({ name: 'memory', create: async () => new MemoryOptionsStorage() });
