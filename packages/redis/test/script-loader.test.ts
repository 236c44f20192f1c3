import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScript } from '../src/script-loader.js';
import { SCRIPTS } from '../src/scripts.js';

const directory = new URL('../src/scripts/', import.meta.url);
const files = readdirSync(directory).filter((name) => name.endsWith('.lua'));

describe('the Lua scripts', () => {
  it.each(files)('%s opens with a header naming its KEYS, ARGV and reply', (file) => {
    const source = readFileSync(new URL(file, directory), 'utf8');
    expect(source.startsWith('--[[')).toBe(true);
    const header = source.slice(0, source.indexOf(']]'));
    expect(header).toMatch(/Input:/);
    expect(header).toMatch(/KEYS\[1\]/);
    expect(header).toMatch(/Output:/);
  });

  it('every script file is loaded, and every loaded script has its includes resolved once', () => {
    expect(
      Object.values(SCRIPTS)
        .map((script) => `${script.name}.lua`)
        .sort(),
    ).toEqual([...files].sort());
    for (const script of Object.values(SCRIPTS)) {
      expect(script.source).not.toMatch(/--- @include/);
      const defined = [...script.source.matchAll(/^local function (\w+)/gm)].map((m) => m[1]);
      expect(new Set(defined).size, script.name).toBe(defined.length);
    }
    expect(loadScript('add').source).toMatch(/local function add_record/);
    expect(loadScript('add').source).toMatch(/local function trim/);
    expect(loadScript('add').sha).toBe(SCRIPTS.add.sha);
  });
});
