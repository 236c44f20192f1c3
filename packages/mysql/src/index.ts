export { backendFactory, configSchema } from './backend-factory.js';
export { type MigrationSummary, MysqlMigrations, migrateTables } from './migrations.js';
export { MysqlBackend, type MysqlBackendOptions } from './mysql-backend.js';
export { MysqlStore } from './mysql-store.js';
export {
  type MysqlConnectionOptions,
  type MysqlStoreConfig,
  mysqlStoreConfig,
} from './mysql-store-config.js';
export { type ProcedureNames, procedureNames } from './procedures.js';
export { type TableNames, tableNames } from './table-names.js';
export type { Mysql2Connection, Mysql2ConnectionConfig, Mysql2Pool } from './timed-pool.js';
export { isRetryableConflict, isTransient } from './transient.js';
