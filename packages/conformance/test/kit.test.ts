import { BackendClosedError, StoreBackend } from '@digests/core';
import { MemoryBackend, MemoryStore } from '@digests/memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { propertyRuns } from '../src/property-runs.js';
import { RULE_IDS, ruleLink } from '../src/rules.js';
import { CONFORMANCE_GROUPS } from '../src/run.js';
import { backendTarget, countsStoredItems, storedItemsOf } from '../src/target.js';

describe('conformance kit plumbing', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('wraps a store factory in StoreBackend and counts through the store', async () => {
    const target = backendTarget({ name: 'memory store', createStore: () => new MemoryStore() });
    const backend = await target.create({ clock: () => 1 });
    expect(backend).toBeInstanceOf(StoreBackend);
    expect(await storedItemsOf(target, backend)).toBe(0);
    await backend.add('k', { key: 'a', value: 1, timestamp: 1 });
    expect(await storedItemsOf(target, backend)).toBeGreaterThan(0);
    await backend.close();
    await expect(backend.inspect('k')).rejects.toBeInstanceOf(BackendClosedError);
  });

  it('refuses to guess when a backend that is not a StoreBackend gives no storedItems', async () => {
    const inner = new MemoryBackend();
    // A plain object forwarding to a backend: a Backend, but not a StoreBackend.
    const opaque = { inspect: (key: string) => inner.inspect(key) } as unknown as MemoryBackend;
    const target = backendTarget({ name: 'opaque', create: async () => opaque });
    await expect(storedItemsOf(target, opaque)).rejects.toThrow(/storedItems: false/);
  });

  it('prints once that the writes-nothing checks are off with storedItems: false', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const target = backendTarget({
      name: 'no-count',
      create: async (options) => new MemoryBackend(options),
      storedItems: false,
    });
    expect(countsStoredItems(target)).toBe(false);
    expect(countsStoredItems(target)).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/no-count.*OFF/);
    warn.mockRestore();
  });

  it('varies the seed and takes the run count from the environment', () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const seeds = new Set(Array.from({ length: 5 }, () => propertyRuns('x', {}, 10).seed));
    expect(seeds.size).toBeGreaterThan(1);
    vi.stubEnv('DIGESTS_SEED', '42');
    vi.stubEnv('DIGESTS_PROPERTY_RUNS', '1000');
    expect(propertyRuns('x', { numRuns: 7 }, 10)).toEqual({ numRuns: 1000, seed: 42 });
    expect(String(info.mock.calls.at(-1)?.[0])).toContain('DIGESTS_SEED=42');
    vi.stubEnv('DIGESTS_PROPERTY_RUNS', 'many');
    expect(() => propertyRuns('x', {}, 10)).toThrow(/DIGESTS_PROPERTY_RUNS/);
    info.mockRestore();
  });

  it('names every rule once, each linking to its heading in docs/contract.md', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../docs/contract.md', import.meta.url), 'utf8');
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
    for (const rule of RULE_IDS) {
      expect(doc, `docs/contract.md has a heading for ${rule}`).toContain(`\n### ${rule}\n`);
      expect(ruleLink(rule)).toBe(`docs/contract.md#${rule.replace('.', '')}`);
    }
    expect(Object.keys(CONFORMANCE_GROUPS).length).toBeGreaterThan(15);
  });

  it('has at least one case for every rule', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const dir = new URL('../src/', import.meta.url);
    let sources = '';
    for (const file of await readdir(dir)) sources += await readFile(new URL(file, dir), 'utf8');
    for (const rule of RULE_IDS) {
      expect(sources, `a case for ${rule}`).toMatch(
        new RegExp(`h\\.case\\(\\s*'${rule.replace('.', '\\.')}'`),
      );
    }
  });
});
