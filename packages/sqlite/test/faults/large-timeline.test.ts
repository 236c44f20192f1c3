import { DEFAULT_DIGEST_LIMIT, runWithTimeline, Timeline } from '@digests/core';
import { digestLargeTimeline } from '@digests/sql/testing';
import { afterAll, expect, it } from 'vitest';
import { SqliteBackend } from '../../src/index.js';
import { tempDirectory } from '../support/temp-files.js';

const directory = tempDirectory('digests-sqlite-large');
afterAll(() => directory.remove());

const MB = 1024 * 1024;
const BUSY_TIMEOUT = 5_000;

it('a 200 000 × 1 KB timeline is digested at the worker’s limit in bounded memory, each write transaction short', async () => {
  // The fill and the first commit after it touch 200 MB; on a loaded machine
  // that can take longer than the default operation timeout.
  const backend = new SqliteBackend({
    filename: directory.file('large.db'),
    busyTimeout: BUSY_TIMEOUT,
    operationTimeout: 120_000,
  });
  let longestTransaction = 0;
  const run = await digestLargeTimeline(backend, {
    limit: DEFAULT_DIGEST_LIMIT,
    around: async (digest) => {
      const timeline = new Timeline();
      await runWithTimeline(digest, timeline);
      let began: number | undefined;
      for (const action of timeline.actions) {
        if (action.detail === 'begin immediate') began = action.start;
        if (action.detail === 'commit' && began !== undefined) {
          longestTransaction = Math.max(
            longestTransaction,
            action.start + (action.duration ?? 0) - began,
          );
          began = undefined;
        }
      }
    },
  });
  await backend.close();
  console.log(
    `sqlite 200k × 1 KB at limit ${DEFAULT_DIGEST_LIMIT}: ${run.digests} digests, ` +
      `delivered ${run.delivered}/${run.added}, lost ${run.added - run.delivered}, duplicates ${run.duplicates}, ` +
      `longest write transaction ${longestTransaction.toFixed(0)} ms (busy timeout ${BUSY_TIMEOUT}), ` +
      `longest digest ${run.longestDigestMs.toFixed(0)} ms, ` +
      `RSS ${(run.rssBefore / MB).toFixed(0)} → peak ${(run.peakRss / MB).toFixed(0)} MB`,
  );
  expect(run.delivered).toBe(run.added);
  expect(run.duplicates).toBe(0);
  // 200 MB of payload: a digest that read the timeline would show it here.
  expect(run.peakRss - run.rssBefore).toBeLessThan(100 * MB);
  // Under the busy timeout: another process's write waits for less and never
  // fails with SQLITE_BUSY. (On a quiet machine the longest is the first
  // commit after the 200 MB load, ~1 s of I/O; the margin is for loaded CI.)
  expect(longestTransaction).toBeGreaterThan(0);
  expect(longestTransaction).toBeLessThan(BUSY_TIMEOUT);
}, 240_000);
