import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { migrate } from '../src/index.js';
import { tempDirectory } from './support/temp-files.js';

const directory = tempDirectory('digests-sqlite-processes');
afterAll(() => directory.remove());
const script = fileURLToPath(new URL('./support/worker-process.ts', import.meta.url));

/** Runs one worker process; resolves its stdout, rejects on a non-zero exit. */
function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', script, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`worker ${args[0]} exited ${code}: ${stderr}`)),
    );
  });
}

it('several processes on one file deliver every record exactly once', async () => {
  const filename = directory.file('shared.db');
  const marker = directory.file('producers-done');
  await migrate({ filename });
  const perProducer = 300;
  const keys = '40';
  const producers = [1, 2, 3].map((id) =>
    run(['producer', filename, String(id), String(perProducer), keys, marker]),
  );
  const digesters = [4, 5].map((id) => run(['digester', filename, String(id), '0', keys, marker]));
  const produced = await Promise.all(producers);
  writeFileSync(marker, 'done');
  const outputs = [...produced, ...(await Promise.all(digesters))];

  const delivered = outputs
    .join('\n')
    .split('\n')
    .filter((line) => line.startsWith('delivered '))
    .map((line) => line.slice('delivered '.length).split('/')[1]);
  const expected = [1, 2, 3].flatMap((id) =>
    Array.from({ length: perProducer }, (_, i) => `${id}-${i}`),
  );
  expect(delivered).toHaveLength(expected.length);
  expect(new Set(delivered)).toEqual(new Set(expected));
  // Both kinds of process delivered: the file really was shared.
  expect(produced.join('').length).toBeGreaterThan(0);
  expect(outputs.slice(3).join('').length).toBeGreaterThan(0);
}, 120_000);
