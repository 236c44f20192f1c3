import { runBackendConformance } from '@digests/conformance';
import { describeStandaloneRedis } from './support/conformance-target.js';

await describeStandaloneRedis((target) => runBackendConformance(target));
