import { runInputFuzzing } from '@digests/core/conformance';
import { sqliteTarget } from './support/conformance-target.js';

runInputFuzzing(sqliteTarget('fuzz'), { numRuns: 100 });
