import { MemoryBackend } from '@digests/memory';
import { expect, it } from 'vitest';
import { listCommand, Output } from '../src/index.js';

it('list prints a progress line on stderr while paging takes long, and stops at --limit', async () => {
  const backend = new MemoryBackend({ clock: () => 1_000 });
  for (let i = 0; i < 2_500; i++) {
    await backend.add(`k:${String(i).padStart(4, '0')}`, { key: 'r', value: i, timestamp: 1_000 });
  }
  let stdout = '';
  let stderr = '';
  let now = 0;
  const out = new Output(
    {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      env: {},
      cwd: '.',
      // Every look at the clock is 700 ms later: paging "takes long".
      now: () => (now += 700),
    },
    false,
  );
  await listCommand(backend, { limit: 2_400 }, out);
  // The first page came within a second (700 ms); by the second, paging took long.
  expect(stderr).toMatch(/^list: 2000 keys in 2 pages so far…\n/);
  expect(stderr).toContain('list: showing the first 2400; raise --limit to see more');
  const lines = stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(2_401);
  expect(lines[1]).toMatch(/^k:0000\s+ready\s/);
  expect(lines.at(-1)).toMatch(/^k:2399\s+ready\s/);
  await backend.close();
});
