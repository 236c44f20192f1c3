export { backendFactory } from './backend-factory.js';
export {
  NAMESPACE_PATTERN,
  namespacePattern,
  type ShardKeys,
  shardKeys,
  shardOf,
  type TimelineKeys,
  timelineKeys,
} from './keys.js';
export { LuaScript, REDIS_CATEGORY, type RedisClient } from './lua-script.js';
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
export { isTransient, toBackendError } from './transient.js';
