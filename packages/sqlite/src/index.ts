export type { MigrationSummary } from '@digests/sql';
export { backendFactory } from './backend-factory.js';
export { migrate } from './migrate.js';
export { SqliteBackend, type SqliteBackendOptions, type SqliteDatabase } from './sqlite-backend.js';
export { SqliteOptionsStorage } from './sqlite-options-storage.js';
export type { SqliteConnectionOptions } from './sqlite-store-config.js';
export { isTransient } from './transient.js';
