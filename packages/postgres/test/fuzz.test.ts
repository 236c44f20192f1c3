import { runInputFuzzing } from '@digests/conformance';
import { describePostgres } from './support/conformance-target.js';

await describePostgres('fuzz', (target) => runInputFuzzing(target, { numRuns: 100 }));
