import { runBackendConformance } from '@digests/core/conformance';
import { describePostgres } from './support/conformance-target.js';

await describePostgres('conformance', (target) => runBackendConformance(target));
