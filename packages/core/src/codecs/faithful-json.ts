import { CodecError } from '../errors.js';

/**
 * Throws {@link CodecError} unless `JSON.stringify(value)` reads back as an
 * equal value: no functions, symbols, BigInts, non-finite numbers,
 * `undefined` (at the top or in arrays), circular structures, or objects
 * whose class JSON would silently flatten (Map, Set, typed arrays, class
 * instances). Objects with a `toJSON` method (Date) are judged by its result;
 * a property whose value is `undefined` is dropped, and reads back as
 * `undefined`.
 *
 * @example
 * ```ts
 * assertFaithfulJson({ a: [1, 'x', null] }); // ok
 * assertFaithfulJson({ n: 10n });           // throws CodecError
 * ```
 */
export function assertFaithfulJson(value: unknown): void {
  // The fast walk allocates nothing per node; only a failure pays for the
  // second walk that finds the path for the message.
  if (faithful(value, undefined)) return;
  const problem = explain(value, '$', new Set());
  throw new CodecError(`cannot encode value at ${problem ?? '$: not representable in JSON'}`);
}

function faithful(value: unknown, ancestors: Set<object> | undefined): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  const object = value as object;
  const seen = ancestors ?? new Set<object>();
  if (seen.has(object)) return false;
  seen.add(object);
  let ok = true;
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    ok = faithful((toJSON as () => unknown).call(object), seen);
  } else if (Array.isArray(object)) {
    for (let i = 0; ok && i < object.length; i++) ok = faithful(object[i], seen);
  } else {
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) ok = false;
    else {
      const record = object as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const item = record[key];
        if (item !== undefined && !faithful(item, seen)) {
          ok = false;
          break;
        }
      }
    }
  }
  seen.delete(object);
  return ok;
}

function explain(value: unknown, path: string, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path}: ${value} is not representable in JSON`;
    case 'undefined':
      return `${path}: undefined is not representable in JSON`;
    case 'bigint':
    case 'symbol':
    case 'function':
      return `${path}: a ${typeof value} is not representable in JSON`;
  }
  if (value === null) return undefined;
  const object = value as object;
  if (ancestors.has(object)) return `${path}: circular structure`;
  ancestors.add(object);
  let problem: string | undefined;
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    problem = explain((toJSON as () => unknown).call(object), path, ancestors);
  } else if (Array.isArray(object)) {
    for (let i = 0; !problem && i < object.length; i++) {
      problem = explain(object[i], `${path}[${i}]`, ancestors);
    }
  } else {
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      const name = (proto?.constructor as { name?: string } | undefined)?.name ?? 'unknown';
      problem = `${path}: a ${name} would not survive JSON; use a plain object or a custom codec`;
    }
    for (const [key, item] of Object.entries(object)) {
      if (problem) break;
      if (item !== undefined) problem = explain(item, `${path}.${key}`, ancestors);
    }
  }
  ancestors.delete(object);
  return problem;
}
