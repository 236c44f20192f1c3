import { runModelBasedConformance } from '@digests/conformance';
import { describeMysql } from './support/conformance-target.js';

// Fewer, shorter sequences than the in-process stores: every sequence
// migrates fresh tables (DDL), which dominates a sequence here.
await describeMysql('model', (target) =>
  runModelBasedConformance(target, { numRuns: 15, maxCommands: 30 }),
);
