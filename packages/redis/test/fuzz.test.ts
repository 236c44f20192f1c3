import { runInputFuzzing } from '@digests/conformance';
import { describeStandaloneRedis } from './support/conformance-target.js';

await describeStandaloneRedis((target) => runInputFuzzing(target, { numRuns: 100 }));
