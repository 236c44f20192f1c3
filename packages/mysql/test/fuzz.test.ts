import { runInputFuzzing } from '@digests/conformance';
import { describeMysql } from './support/conformance-target.js';

// MariaDB's default max_allowed_packet is 16 MB: one value cannot be larger
// (the store rejects it, not retryable); the huge-value property stays under.
await describeMysql('fuzz', (target) =>
  runInputFuzzing(target, { numRuns: 100, maxValueSize: 15 * 1024 * 1024 }),
);
