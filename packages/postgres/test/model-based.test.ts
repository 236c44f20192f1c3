import { runModelBasedConformance } from '@digests/conformance';
import { describePostgres } from './support/conformance-target.js';

// Fewer, shorter sequences than the other stores: each backend runs its
// migrations in fresh tables (~0.2 s), which dominates a sequence here.
await describePostgres('model', (target) =>
  runModelBasedConformance(target, { numRuns: 15, maxCommands: 30 }),
);
