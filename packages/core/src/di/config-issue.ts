import { z } from 'zod';
import { ConfigurationError } from '../errors.js';
import { nearestName } from './nearest-name.js';

/** What each object schema is called in an "is not …" message. */
const NOUNS = new WeakMap<z.ZodType, string>();

/**
 * Names an object schema for messages about unknown fields:
 * `config.options.minimumDelai is not a backend option`.
 *
 * @example
 * ```ts
 * const route = named(z.strictObject({ prefix: z.string() }), 'a route field');
 * ```
 */
export function named<S extends z.ZodType>(schema: S, noun: string): S {
  NOUNS.set(schema, noun);
  return schema;
}

/**
 * Parses `value` with `schema`, or throws the first problem as a
 * `ConfigurationError` naming the field by its path, what was wrong, what it
 * got and — for an unknown field — the nearest valid name.
 *
 * @example
 * ```ts
 * parseConfig(redisSchema, { backend: 'redis', namespce: 'x' }, 'config.primary');
 * // throws: config.primary.namespce is not a field of a "redis" config — did you mean "namespace"? (…)
 * ```
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  value: unknown,
  path: string,
): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  // A misspelled field also leaves the real one missing: the typo explains both.
  const { issues } = result.error;
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  throw configurationError(issue, schema, value, path);
}

function configurationError(
  issue: z.core.$ZodIssue,
  schema: z.ZodType,
  value: unknown,
  path: string,
): ConfigurationError {
  const at =
    path +
    issue.path
      .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
      .join('');
  if (issue.code === 'unrecognized_keys') {
    const field = issue.keys[0]!;
    const owner = schemaAt(schema, issue.path);
    const fields = owner instanceof z.ZodObject ? Object.keys(owner.shape) : [];
    const noun = (owner && NOUNS.get(owner)) ?? 'a known field';
    const nearest = nearestName(field, fields);
    return new ConfigurationError(
      `${at}.${field} is not ${noun}${nearest === undefined ? '' : ` — did you mean "${nearest}"?`} (expected ${fields.join(', ')})`,
    );
  }
  const input = valueAt(value, issue.path);
  if (input === undefined) return new ConfigurationError(`${at} is required`);
  // The library's own wording ("Invalid input: expected object") where a schema set none.
  const message =
    issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')
      ? `must be ${issue.expected === 'object' || issue.expected === 'array' ? 'an' : 'a'} ${issue.expected}`
      : issue.message;
  return new ConfigurationError(`${at} ${message}, got ${describeValue(input)}`);
}

/** The schema that checks the value at `path` below `schema`, unwrapping optionals. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const part of path) {
    if (current instanceof z.ZodObject) current = current.shape[String(part)] as z.ZodType;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else return undefined;
    current = current && unwrap(current);
  }
  return current;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodLazy) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodUnion) {
      // A field that is "an object, or a function in a JS config": the object explains best.
      const object = (current.options as z.ZodType[]).find((o) => o instanceof z.ZodObject);
      if (object === undefined) return current;
      current = object;
    } else {
      return current;
    }
  }
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/**
 * A value as an error message shows it: strings quoted, objects by kind.
 *
 * @example
 * ```ts
 * describeValue('5m'); // '"5m"'
 * describeValue([]);   // 'an array'
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}
