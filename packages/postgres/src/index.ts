export type { MigrationSummary } from '@digests/sql';
export { addFunctionName } from './add-function.js';
export { backendFactory } from './backend-factory.js';
export { migrate } from './migrate.js';
export { PostgresBackend, type PostgresBackendOptions } from './postgres-backend.js';
export { isRetryableConflict, isTransient } from './transient.js';
