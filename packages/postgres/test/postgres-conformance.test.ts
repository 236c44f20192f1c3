import { runBackendConformance } from '@digests/conformance';
import { describePostgres } from './support/conformance-target.js';

await describePostgres('conformance', (target) => runBackendConformance(target));
