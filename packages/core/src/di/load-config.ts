import { readFile } from 'node:fs/promises';
import { ConfigurationError } from '../errors.js';
import { type DigestsConfig, validateConfig } from './config.js';

/**
 * Reads a JSON config file and validates it (see `validateConfig`). Relative
 * paths inside it (a SQLite `filename`) are the adapter's business: they are
 * relative to the process's working directory.
 *
 * @example
 * ```ts
 * const config = await loadConfig('digests.json');
 * const container = await createDigestsContainer(config);
 * ```
 */
export async function loadConfig(path: string): Promise<DigestsConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigurationError(`cannot read the config file ${path}`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigurationError(`${path} is not valid JSON: ${reason}`, { cause });
  }
  return validateConfig(parsed);
}
