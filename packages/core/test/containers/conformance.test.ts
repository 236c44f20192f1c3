import { runBackendConformance } from '@digests/core/conformance';
import { containerTargets } from './targets.js';

for (const target of containerTargets) runBackendConformance(target);
