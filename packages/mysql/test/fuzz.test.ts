import { runInputFuzzing } from '@digests/conformance';
import { describeMysql } from './support/conformance-target.js';

await describeMysql('fuzz', (target) => runInputFuzzing(target, { numRuns: 100 }));
