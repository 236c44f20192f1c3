import { runModelBasedConformance } from '@digests/conformance';
import { sqliteTarget } from './support/conformance-target.js';

runModelBasedConformance(sqliteTarget('model'), { numRuns: 40, maxCommands: 40 });
