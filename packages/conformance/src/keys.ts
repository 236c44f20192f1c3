import { expect } from 'vitest';
import { type Harness, record, take } from './harness.js';

/** Keys that stress a store's key layout: separators, hash tags, NUL, emoji, the length limit. */
export const UNUSUAL_KEYS: readonly string[] = [
  'a',
  'A',
  'a:b',
  'a:b:c',
  'a:',
  ':a',
  '::',
  '{a}',
  '{a}:b',
  'a{b}c',
  '{',
  '}',
  '{}',
  ' ',
  'a b',
  ' a',
  '😀',
  '👩‍👩‍👧',
  'é',
  'e\u0301',
  '\u0000',
  'a\u0000b',
  '\\',
  '*',
  '?',
  '[a]',
  '%',
  '_',
  "'",
  '"',
  '\n',
  'mail:p:1',
  'x'.repeat(1024),
  'x'.repeat(1023),
];

/** SPEC "Keys": any non-empty string up to 1024 UTF-16 units; keys never collide. */
export function keyCases(h: Harness): void {
  h.case('keys.2', 'unusual timeline keys work and never share storage', async () => {
    const backend = await h.backend();
    for (const key of UNUSUAL_KEYS) {
      expect(await backend.add(key, record('r', h.now, key))).toBe(true);
    }
    for (const key of UNUSUAL_KEYS) {
      expect(await backend.inspect(key)).toMatchObject({ state: 'ready', size: 1 });
      expect(await take(backend, key)).toEqual([record('r', h.now, key)]);
    }
  });

  h.case('keys.2', 'unusual record keys within one timeline stay distinct', async () => {
    const backend = await h.backend();
    for (const key of UNUSUAL_KEYS) await backend.add('t', record(key, h.now, key));
    expect((await backend.inspect('t')).size).toBe(UNUSUAL_KEYS.length);
    const got = await take(backend, 't');
    expect(got.map((r) => r.key).sort()).toEqual([...UNUSUAL_KEYS].sort());
    for (const r of got) expect(r.value).toBe(r.key);
  });

  h.case('keys.2', 'deleting or digesting one key leaves look-alike keys alone', async () => {
    const backend = await h.backend();
    const alike = ['p', 'p:', 'p:1', '{p}', '{p}:1', 'p\u0000', 'P'];
    for (const key of alike) await backend.add(key, record('r', h.now, key));
    await backend.delete('p');
    await take(backend, 'p:');
    for (const key of alike.slice(2)) {
      expect(await backend.inspect(key)).toMatchObject({ state: 'ready', size: 1 });
    }
  });
}
