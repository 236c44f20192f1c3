import { randomUUID } from 'node:crypto';
import type { OptionsStorage } from '@digests/core';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * What an options storage hands {@link runOptionsStorageConformance}.
 *
 * @example
 * ```ts
 * const target: OptionsStorageTarget = {
 *   name: 'redis',
 *   create: async () => new RedisOptionsStorage({ redis, namespace: `test-${randomUUID()}` }),
 * };
 * ```
 */
export interface OptionsStorageTarget {
  /** Shown in the `describe` title. */
  readonly name: string;
  /** A storage per test; it may share a server with others (names are random per test). */
  create(): Promise<OptionsStorage>;
  /** Called after each test with every storage `create` returned. Default: `close?.()`. */
  destroy?(storage: OptionsStorage): Promise<void>;
  /**
   * Reads the store directly (bypassing the storage's `get`): the raw value
   * under `name`, to check what was really written.
   */
  readRaw?(storage: OptionsStorage, name: string): Promise<string | undefined>;
  /** Case titles to leave out, each with a reason next to it in the caller's code. */
  readonly skip?: readonly string[];
}

/**
 * Names a storage must keep apart (option names with scopes that are timeline keys).
 *
 * @example
 * ```ts
 * for (const name of UNUSUAL_OPTION_NAMES) await storage.set(name, '1');
 * ```
 */
export const UNUSUAL_OPTION_NAMES: readonly string[] = [
  'digests.enabled',
  'digests.enabled:mail:p:1',
  'digests.enabled:mail:p:1:',
  'digests.enabled:mail:p:10',
  'digests.enabled:{mail}:p 1',
  'digests.enabled:😀',
  'digests.enabled:Ω',
  'digests.enabled:%',
  'digests.enabled:_',
  'digests.enabled:\\',
  "digests.enabled:'; DROP TABLE options; --",
  'digests.enabled:\u0000',
  `digests.enabled:${'x'.repeat(1024)}`,
];

/**
 * Registers the options-storage contract (see `OptionsStorage`) as vitest
 * cases. Call it at the top level of a storage's test file.
 *
 * @example
 * ```ts
 * import { runOptionsStorageConformance } from '@digests/conformance';
 * import { MemoryOptionsStorage } from '@digests/core';
 *
 * runOptionsStorageConformance({ name: 'memory', create: async () => new MemoryOptionsStorage() });
 * ```
 */
export function runOptionsStorageConformance(target: OptionsStorageTarget): void {
  describe(`${target.name} options storage conformance`, () => {
    const created: OptionsStorage[] = [];
    afterEach(async () => {
      const destroy = target.destroy ?? ((storage: OptionsStorage) => storage.close?.());
      await Promise.all(created.splice(0).map((storage) => destroy(storage)));
    });
    const storage = async (): Promise<OptionsStorage> => {
      const made = await target.create();
      created.push(made);
      return made;
    };
    const test = (title: string, fn: () => Promise<void>): void => {
      it.skipIf(target.skip?.includes(title) ?? false)(title, fn);
    };
    // Random names: a shared server never makes one test see another's data.
    const unique = (name: string): string => `${name}:${randomUUID()}`;

    test('get of a name never set resolves undefined', async () => {
      const s = await storage();
      expect(await s.get(unique('digests.enabled'))).toBeUndefined();
    });

    test('set then get returns the value, exactly', async () => {
      const s = await storage();
      const name = unique('digests.minimumDelay');
      await s.set(name, '300000');
      expect(await s.get(name)).toBe('300000');
      if (target.readRaw) expect(await target.readRaw(s, name)).toBe('300000');
    });

    test('set replaces the value', async () => {
      const s = await storage();
      const name = unique('digests.enabled');
      await s.set(name, 'true');
      await s.set(name, 'false');
      expect(await s.get(name)).toBe('false');
    });

    test('delete removes the value; deleting a missing name is a no-op', async () => {
      const s = await storage();
      const name = unique('digests.enabled');
      await s.set(name, 'true');
      await s.delete(name);
      expect(await s.get(name)).toBeUndefined();
      if (target.readRaw) expect(await target.readRaw(s, name)).toBeUndefined();
      await s.delete(name);
      await s.delete(unique('never.set'));
      expect(await s.get(name)).toBeUndefined();
    });

    test('values come back byte for byte (unicode, quotes, empty, large)', async () => {
      const s = await storage();
      const values = [
        '""',
        '',
        '"😀 Ω \\u0000 \'quoted\' \\"double\\""',
        JSON.stringify({ nested: [1, 2, { deep: 'x'.repeat(10) }] }),
        JSON.stringify('y'.repeat(100_000)),
        '-0.000001',
      ];
      const base = unique('app.value');
      await Promise.all(values.map((value, i) => s.set(`${base}.${i}`, value)));
      for (const [i, value] of values.entries()) expect(await s.get(`${base}.${i}`)).toBe(value);
    });

    test('different names never share a value', async () => {
      const s = await storage();
      const prefix = randomUUID();
      const names = UNUSUAL_OPTION_NAMES.map((name) => `${prefix}.${name}`);
      await Promise.all(names.map((name, i) => s.set(name, String(i))));
      for (const [i, name] of names.entries()) expect(await s.get(name)).toBe(String(i));
      await s.delete(names[1] ?? '');
      expect(await s.get(names[0] ?? '')).toBe('0');
      expect(await s.get(names[1] ?? '')).toBeUndefined();
      expect(await s.get(names[2] ?? '')).toBe('2');
    });

    test('names differing only in case are different', async () => {
      const s = await storage();
      const name = unique('digests.Enabled');
      await s.set(name, '1');
      expect(await s.get(name.toLowerCase())).toBeUndefined();
    });

    test('concurrent writes to different names all land', async () => {
      const s = await storage();
      const base = unique('load');
      await Promise.all(Array.from({ length: 50 }, (_, i) => s.set(`${base}.${i}`, `${i}`)));
      const read = await Promise.all(Array.from({ length: 50 }, (_, i) => s.get(`${base}.${i}`)));
      expect(read).toEqual(Array.from({ length: 50 }, (_, i) => `${i}`));
    });
  });
}
