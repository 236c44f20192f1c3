import { runBackendConformance } from '@digests/core/conformance';
import { describeStandaloneRedis } from './support/conformance-target.js';

await describeStandaloneRedis((target) => runBackendConformance(target));
