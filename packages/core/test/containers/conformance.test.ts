import { runBackendConformance } from '@digests/conformance';
import { containerTargets } from './targets.js';

for (const target of containerTargets) runBackendConformance(target);
