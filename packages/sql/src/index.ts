export { ADD_MANY_CHUNK, type AddInput, type SqlDialectParts } from './dialect-parts.js';
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
export { addRecord } from './queries/add-record.js';
export { type CommitDigest, commitDigest } from './queries/commit-digest.js';
export { leaseFree, releaseLease, renewLease } from './queries/lease.js';
export { expireTimelines, requeueStuck } from './queries/maintenance.js';
export { type OpenDigest, openDigest, type StoredRecordRow } from './queries/open-digest.js';
export { readOption, removeOption, writeOption } from './queries/options.js';
export { claimDue } from './queries/schedule.js';
export { backendStats } from './queries/stats.js';
export {
  countStoredRows,
  deleteTimeline,
  flushTimeline,
  inspectTimeline,
} from './queries/timeline.js';
export { trimRecords } from './queries/trim.js';
export type {
  DigestsDatabase,
  OptionsTable,
  RecordsTable,
  StoredState,
  TimelinesTable,
} from './schema.js';
export { SqlBackend, type SqlBackendConfig } from './sql-backend.js';
export { SqlOptionsStorage } from './sql-options-storage.js';
export { allMigrations, SqlStore, type SqlStoreConfig } from './sql-store.js';
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
