import { MemoryStore } from '@digests/memory';
import { runConformance } from '../src/index.js';

// The kit's own run, in its store-factory form, against the reference store.
runConformance(
  { name: 'MemoryStore (store factory)', createStore: () => new MemoryStore() },
  { model: { numRuns: 30 }, fuzz: { numRuns: 30 } },
);
