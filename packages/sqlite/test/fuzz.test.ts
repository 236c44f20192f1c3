import { runInputFuzzing } from '@digests/conformance';
import { sqliteTarget } from './support/conformance-target.js';

runInputFuzzing(sqliteTarget('fuzz'), { numRuns: 100 });
