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
    const reason =
      (cause as { code?: unknown }).code === 'ENOENT'
        ? 'no such file'
        : String((cause as Error).message);
    throw new ConfigurationError(`cannot read the config file ${path}: ${reason}`, { cause });
  }
  return validateConfig(parseJson(text, path));
}

/**
 * `JSON.parse`, but a syntax error is a `ConfigurationError` saying where:
 * `digests.json:3:5: Expected double-quoted property name`.
 *
 * @example
 * ```ts
 * parseJson('{\n  "backend": "memory",\n}', 'digests.json');
 * // throws: digests.json:3:1 is not valid JSON: Expected double-quoted property name
 * ```
 */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    // Node 20 says "… in JSON at position 14"; newer ones add "(line 3 column 1)".
    const position = /at position (\d+)/.exec(message);
    const reason = message
      .replace(/\s*in JSON at position \d+.*$/s, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '');
    let where = '';
    if (position !== null) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      where = `:${line}:${column}`;
    } else if (/end of JSON input/.test(message)) {
      const lines = text.split('\n');
      where = `:${lines.length}:${lines.at(-1)!.length + 1}`;
    }
    throw new ConfigurationError(`${source}${where} is not valid JSON: ${reason}`, { cause });
  }
}
