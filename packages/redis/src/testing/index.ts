/**
 * Test helpers for code that runs against Redis: a private `redis-server`
 * a test can stop, kill and restart.
 *
 * @module
 */
export {
  freeLoopbackPort,
  PrivateRedisServer,
  type PrivateRedisServerOptions,
} from './private-redis-server.js';
