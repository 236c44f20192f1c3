import type { KeyOptions, KeyOptionsSource } from '../worker/key-options.js';
import type { KeyRuleConfig } from './config.js';

/**
 * The `KeyOptionsSource` a config's `worker.keys` rules describe: a key gets
 * the rule with the longest `prefix` it starts with; a key no rule matches
 * is enabled with the backend's own delays.
 *
 * @example
 * ```ts
 * const options = keyOptionsFromRules([
 *   { prefix: 'mail:', minimumDelay: 60_000 },
 *   { prefix: 'mail:team-b:', window: { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' } },
 * ]);
 * await options.forKey('mail:team-b:7'); // { enabled: true, window: { … } }
 * ```
 */
export function keyOptionsFromRules(rules: readonly KeyRuleConfig[]): KeyOptionsSource {
  // Longest prefix first, so the first match is the most specific rule.
  const ordered = [...rules].sort((a, b) => b.prefix.length - a.prefix.length);
  const resolved = ordered.map(({ prefix, enabled, ...options }) => ({
    prefix,
    options: Object.freeze({ enabled: enabled ?? true, ...options }) as KeyOptions,
  }));
  const fallback: KeyOptions = Object.freeze({ enabled: true });
  return {
    forKey: async (key) =>
      resolved.find(({ prefix }) => key.startsWith(prefix))?.options ?? fallback,
  };
}
