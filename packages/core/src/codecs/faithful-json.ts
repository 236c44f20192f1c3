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
  check(value, '$', new Set());
}

function check(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) fail(path, `${value} is not representable in JSON`);
      return;
    case 'undefined':
      fail(path, 'undefined is not representable in JSON');
      return;
    case 'bigint':
    case 'symbol':
    case 'function':
      fail(path, `a ${typeof value} is not representable in JSON`);
      return;
  }
  if (value === null) return;
  const object = value as object;
  if (ancestors.has(object)) fail(path, 'circular structure');
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    ancestors.add(object);
    check((toJSON as () => unknown).call(object), path, ancestors);
    ancestors.delete(object);
    return;
  }
  ancestors.add(object);
  if (Array.isArray(object)) {
    for (let i = 0; i < object.length; i++) check(object[i], `${path}[${i}]`, ancestors);
  } else {
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      const name = (proto?.constructor as { name?: string } | undefined)?.name ?? 'unknown';
      fail(path, `a ${name} would not survive JSON; use a plain object or a custom codec`);
    }
    for (const [key, item] of Object.entries(object)) {
      if (item !== undefined) check(item, `${path}.${key}`, ancestors);
    }
  }
  ancestors.delete(object);
}

function fail(path: string, reason: string): never {
  throw new CodecError(`cannot encode value at ${path}: ${reason}`);
}
