export {
  type AddEntry,
  type AddManySource,
  addMany,
  checkAddMany,
  hasAddMany,
} from './add-many.js';
export type {
  AddOptions,
  Backend,
  DigestFunction,
  DigestOptions,
  ListEntry,
  ListOptions,
  ListPage,
  QuarantinedRecord,
  ScheduleEntry,
  ScheduleOptions,
  TimelineInfo,
  TimelineRecord,
  TimelineState,
} from './backend.js';
export type { BackendFactory } from './backend-factory.js';
export type { Codec, EncodedValue } from './codecs/codec.js';
export {
  CompressedJsonCodec,
  type CompressedJsonCodecOptions,
} from './codecs/compressed-json-codec.js';
export { assertFaithfulJson } from './codecs/faithful-json.js';
export { encodedText, JsonCodec } from './codecs/json-codec.js';
export * from './containers/index.js';
export {
  type AddScheduleInput,
  nextSchedule,
  type ScheduleAfter,
  type ScheduleBefore,
  scheduleAfterAdd,
} from './delays.js';
export * from './di/index.js';
export {
  BackendClosedError,
  BackendUnavailableError,
  CodecError,
  ConfigurationError,
  DigestsError,
  InvalidKeyError,
  InvalidRecordError,
  InvalidStateError,
  LeaseConflictError,
  LeaseLostError,
  markDigestsError,
} from './errors.js';
export {
  type CheckedAdd,
  checkAdd,
  checkAddOptions,
  checkDigest,
  decodeRecords,
  decodeValue,
  drawTruncation,
} from './input.js';
export { assertValidKey, assertValidRecord, MAX_KEY_LENGTH } from './keys.js';
export { type DigestSession, runLeasedDigest } from './leased-digest.js';
export {
  checkListOptions,
  DEFAULT_LIST_LIMIT,
  type ListPosition,
  listCursor,
  MAX_LIST_LIMIT,
  parseListCursor,
} from './list-cursor.js';
export { DigestMetrics, type KeyCounts, METER_NAME } from './metrics/digest-metrics.js';
export {
  INSTRUMENTS,
  type InstrumentKind,
  type InstrumentSpec,
  KEY_STATE_ATTRIBUTE,
} from './metrics/instruments.js';
export {
  assertDeadline,
  type BackendOptions,
  type Clock,
  chunkSize,
  DEFAULT_OPTIONS,
  delay,
  positiveInteger,
  type ResolvedOptions,
  resolveOptions,
} from './options.js';
export {
  type DigestOptionDefinitions,
  digestKeyOptions,
  registerDigestOptions,
} from './options-store/digest-key-options.js';
export { MemoryOptionsStorage } from './options-store/memory-options-storage.js';
export {
  defineOption,
  type OptionDefinition,
  type OptionSpec,
  type OptionType,
  type OptionValueOf,
} from './options-store/option-definition.js';
export {
  type CacheLookup,
  OptionsCache,
  type OptionsCacheOptions,
} from './options-store/options-cache.js';
export { OptionsRegistry } from './options-store/options-registry.js';
export type { OptionsStorage } from './options-store/options-storage.js';
export {
  OptionsStore,
  type OptionsStoreOptions,
  storageName,
} from './options-store/options-store.js';
export {
  compareCodePoints,
  compareListPositions,
  earliestFirst,
  mergeSnapshot,
  newestFirst,
} from './ordering.js';
export {
  checkPeekOptions,
  comparePeekPositions,
  DEFAULT_PEEK_LIMIT,
  hasPeek,
  MAX_PEEK_LIMIT,
  type PeekedRecord,
  type PeekOptions,
  type PeekPage,
  type PeekPosition,
  type PeekSource,
  peekCursor,
} from './peek.js';
export * from './retry/index.js';
export {
  type BackendStats,
  combineStats,
  hasStats,
  type StatsSource,
  statsOf,
} from './stats.js';
export type {
  CommitRequest,
  DigestStore,
  ListRequest,
  OpenRequest,
  OpenResult,
  PeekedStoredRecord,
  PeekRequest,
  StoreAdd,
  StoreContext,
  StoredRecord,
  StoreInfo,
} from './store.js';
export { StoreBackend } from './store-backend.js';
export { TableBackend, type TableStore } from './table-backend.js';
export { type ActiveAction, startAction, timed } from './timeline/timed.js';
export type { TimedAction } from './timeline/timed-action.js';
export { TimedBackend, type TimedBackendOptions } from './timeline/timed-backend.js';
export {
  type ActionHandle,
  Timeline,
  type TimelineOptions,
  type TimelineSummary,
} from './timeline/timeline.js';
export { currentTimeline, runWithTimeline } from './timeline/timeline-context.js';
export { attachTimeline, timelineOf } from './timeline/timeline-errors.js';
export {
  disableTracing,
  enableTracing,
  setTracingMode,
  TRACING_RECHECK_CALLS,
  type TracingMode,
  tracingActive,
} from './timeline/tracing.js';
export {
  type CalendarWindow,
  checkCalendarWindow,
  nextOccurrence,
} from './worker/calendar-window.js';
export type { DeliverFunction, Delivery, DeliveryMode } from './worker/delivery.js';
export { digestIdOf } from './worker/digest-id.js';
export { DigestWorker, type PassResult, type StopOptions } from './worker/digest-worker.js';
export {
  DEFAULT_DIGEST_LIMIT,
  type DigestWorkerOptions,
  type ResolvedWorkerOptions,
  resolveWorkerOptions,
} from './worker/digest-worker-options.js';
export {
  DEFAULT_KEY_OPTIONS,
  type KeyOptions,
  type KeyOptionsSource,
} from './worker/key-options.js';
export { type WorkerCounters, zeroCounters } from './worker/worker-counters.js';
export { silentWorkerLogger, type WorkerLogger } from './worker/worker-logger.js';
