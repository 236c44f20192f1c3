import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

it('@digests/core never imports an adapter package (they are found by name at run time)', async () => {
  const files = (await readdir(SRC, { recursive: true })).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(20);
  const offenders: string[] = [];
  for (const file of files) {
    // JSDoc examples may show adapters; code lines may not import them.
    const code = (await readFile(join(SRC, file), 'utf8'))
      .split('\n')
      .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line));
    if (code.some((line) => /(from|import\()\s*['"]@digests\/(?!core)/.test(line))) {
      offenders.push(file);
    }
  }
  expect(offenders).toEqual([]);
});
