export type { MigrationSummary } from '@digests/sql';
export { addFunctionName } from './add-function.js';
export { addManyFunctionName } from './add-many-function.js';
export { backendFactory } from './backend-factory.js';
export { migrate } from './migrate.js';
export { PostgresBackend, type PostgresBackendOptions } from './postgres-backend.js';
export { PostgresOptionsStorage } from './postgres-options-storage.js';
export type { PostgresConnectionOptions } from './postgres-store-config.js';
export { isRetryableConflict, isTransient } from './transient.js';
