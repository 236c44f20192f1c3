import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { migrate, SqliteBackend } from '../../src/index.js';
import { tempDirectory } from '../support/temp-files.js';

const directory = tempDirectory('digests-sqlite-wal');
afterAll(() => directory.remove());
const script = fileURLToPath(new URL('../support/wal-producer.ts', import.meta.url));

const MB = 1024 * 1024;
const PROCESSES = 4;
const ADDS = 1500;
/** The producers spread their adds over this many keys (`wal-producer.ts`): one timeline row each. */
const KEYS = 200;
/**
 * Without the backend's own RESTART checkpoints, this load grows the WAL
 * to about 54 MB (4 × 3000 adds: 116–176 MB); with them it peaks at 8–16 MB
 * (the higher figure with the rest of the suite running on two cores).
 */
const WAL_BOUND = 32 * MB;

function produce(filename: string, id: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', script, filename, String(id), String(ADDS)],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`producer ${id} exited ${code}: ${stderr}`)),
    );
  });
}

it(`the WAL stays bounded under ${PROCESSES} processes adding at once`, async () => {
  const filename = directory.file('wal.db');
  await migrate({ filename });
  const walSize = () => {
    try {
      return statSync(`${filename}-wal`).size;
    } catch {
      return 0; // not created yet, or removed by the last close
    }
  };
  let peak = 0;
  // Real time on purpose: the WAL grows with real writes from other processes.
  const watch = setInterval(() => {
    peak = Math.max(peak, walSize());
  }, 10);
  const started = Date.now();
  try {
    await Promise.all(Array.from({ length: PROCESSES }, (_, i) => produce(filename, i + 1)));
  } finally {
    clearInterval(watch);
  }
  peak = Math.max(peak, walSize());
  const backend = new SqliteBackend({ filename });
  const stored = await backend.storedRows();
  await backend.close();
  console.log(
    `sqlite WAL under ${PROCESSES} processes × ${ADDS} adds: peak ${(peak / MB).toFixed(1)} MB ` +
      `(bound ${WAL_BOUND / MB} MB), database ${(statSync(filename).size / MB).toFixed(1)} MB, ` +
      `${Date.now() - started} ms, ${stored - KEYS} records stored`,
  );
  // Nothing acknowledged is lost: every record, plus one timeline row per key.
  expect(stored).toBe(PROCESSES * ADDS + KEYS);
  expect(peak).toBeGreaterThan(0);
  expect(peak).toBeLessThan(WAL_BOUND);
}, 120_000);
