export {
  ADD_MANY_CHUNK,
  type SnapshotRow,
  type SqlAdd,
  type SqlCommit,
  type SqlDelivered,
  type SqlDialectParts,
  type SqlOpen,
  type SqlOpened,
} from './dialect-parts.js';
export {
  assertIdentifier,
  assertTablePrefix,
  MAX_PREFIX_LENGTH,
  quoteIdentifier,
} from './identifiers.js';
export { measureThroughput, type Throughput, type ThroughputShape } from './measure.js';
export {
  type ColumnTypes,
  type MigrationSummary,
  migrateToLatest,
  migrationProvider,
  sharedMigrations,
} from './migrations.js';
export { leaseFree, releaseLease, renewLease } from './queries/lease.js';
export { listTimelines } from './queries/list.js';
export { expireTimelines, requeueStuck } from './queries/maintenance.js';
export { readOption, removeOption, writeOption } from './queries/options.js';
export { peekRecords } from './queries/peek.js';
export { deleteQuarantine, quarantineRecords, readQuarantine } from './queries/quarantine.js';
export { removeRecords } from './queries/remove.js';
export { claimDue } from './queries/schedule.js';
export { backendStats } from './queries/stats.js';
export {
  countStoredRows,
  deleteTimeline,
  flushTimeline,
  inspectTimeline,
} from './queries/timeline.js';
export type {
  DigestsDatabase,
  OptionsTable,
  QuarantineTable,
  RecordsTable,
  StoredState,
  TimelinesTable,
} from './schema.js';
export { SqlBackend } from './sql-backend.js';
export { SqlOptionsStorage } from './sql-options-storage.js';
export { allMigrations, SqlRunner, type SqlStoreConfig } from './sql-runner.js';
export { SqlStore } from './sql-store.js';
export { type SqlStoreSetup, sqlStoreConfig } from './sql-store-config.js';
export {
  encodedValue,
  keyBytes,
  keyText,
  type StoredKey,
  storedKey,
  storedValue,
} from './stored-values.js';
export { type TableNames, TableNamesPlugin, tableNames } from './table-names.js';
export { TimedDialect } from './timed-dialect.js';
export { SQL_CATEGORY, statementDetail, timedStatement } from './timed-statement.js';
