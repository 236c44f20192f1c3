import { runConformance } from '@digests/conformance';
import { TutorialStore } from '../src/tutorial-store.js';

// Every contract case, the model-based runner and the input fuzzer, against
// a fresh store per test.
runConformance({
  name: 'tutorial store',
  createStore: async () => new TutorialStore(),
});
