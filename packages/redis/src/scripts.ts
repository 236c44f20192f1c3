import { loadScript } from './script-loader.js';

/**
 * Every Lua script of the store, read once from `scripts/*.lua` (each
 * file's header says its KEYS, ARGV and reply).
 *
 * @example
 * ```ts
 * await SCRIPTS.flush.run(client, [shard.waiting, shard.ready], [key, String(now)], `FLUSH ${key}`);
 * ```
 */
export const SCRIPTS = {
  add: loadScript('add'),
  addMany: loadScript('add-many'),
  open: loadScript('open'),
  openWhole: loadScript('open-whole'),
  commit: loadScript('commit'),
  renew: loadScript('renew'),
  release: loadScript('release'),
  quarantine: loadScript('quarantine'),
  claim: loadScript('claim'),
  claimMembers: loadScript('claim-members'),
  claimAll: loadScript('claim-all'),
  requeue: loadScript('requeue'),
  readyDue: loadScript('ready-due'),
  expire: loadScript('expire'),
  flush: loadScript('flush'),
  delete: loadScript('delete'),
  inspect: loadScript('inspect'),
  remove: loadScript('remove'),
  list: loadScript('list'),
  peek: loadScript('peek'),
  quarantined: loadScript('quarantined'),
  deleteQuarantined: loadScript('delete-quarantined'),
  stats: loadScript('stats'),
} as const;
