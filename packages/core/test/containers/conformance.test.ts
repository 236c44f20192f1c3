import { runConformance } from '@digests/conformance';
import { containerTargets } from './targets.js';

// The whole kit — contract cases, the model-based runner and input fuzzing — on every container.
for (const target of containerTargets) runConformance(target);
