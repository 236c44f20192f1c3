export { backendFactory } from './backend-factory.js';
export { describeClient, redactUrl } from './connection.js';
export {
  NAMESPACE_PATTERN,
  namespacePattern,
  type ShardKeys,
  shardKeys,
  shardOf,
  shardPattern,
  type TimelineKeys,
  timelineKeys,
} from './keys.js';
export { isNoScript, LuaScript, REDIS_CATEGORY, type RedisClient } from './lua-script.js';
export { RedisBackend } from './redis-backend.js';
export {
  DEFAULT_REDIS_URL,
  DEFAULT_SHARDS,
  type RedisBackendOptions,
} from './redis-backend-options.js';
export { redisCommand } from './redis-command.js';
export {
  optionsKey,
  RedisOptionsStorage,
  type RedisOptionsStorageOptions,
} from './redis-options-storage.js';
export { RedisStore, type RedisStoreOptions } from './redis-store.js';
export { connectionReason, isTransient, toBackendError } from './transient.js';
