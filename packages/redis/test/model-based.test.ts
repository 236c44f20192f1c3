import { runModelBasedConformance } from '@digests/conformance';
import { describeStandaloneRedis } from './support/conformance-target.js';

await describeStandaloneRedis((target) =>
  runModelBasedConformance(target, { numRuns: 40, maxCommands: 40 }),
);
