/**
 * A chaos worker (a child process): a DigestWorker with short passes over
 * the store under test. `deliver` appends the ids it was handed, tagged with
 * the digest attempt; once `backend.digest` resolved, the attempt is marked
 * committed. The orchestrator kills workers with SIGKILL at random; deliver
 * takes a little time so the kills land mid-digest. SIGTERM stops gracefully.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Backend, DigestFunction, DigestOptions } from '@digests/core';
import { DigestWorker } from '@digests/core';
import { openChaosBackend, placeFromEnv, sleep } from './chaos-backend.js';
import { LedgerWriter } from './ledger.js';

const place = placeFromEnv();
const ledger = new LedgerWriter(join(place.ledgerDir, `worker-${process.pid}.log`));
const { backend, close } = openChaosBackend(place, 'worker');
const attempts = new AsyncLocalStorage<string>();

/** The store under test, with every digest attempt named and its commit written down. */
const ledgered: Backend<string> = {
  add: (key, record, options) => backend.add(key, record, options),
  schedule: (deadline, options) => backend.schedule(deadline, options),
  maintenance: (deadline) => backend.maintenance(deadline),
  flush: (key) => backend.flush(key),
  delete: (key) => backend.delete(key),
  inspect: (key) => backend.inspect(key),
  remove: (key, recordKeys) => backend.remove(key, recordKeys),
  list: (options) => backend.list(options),
  quarantined: (key) => backend.quarantined(key),
  deleteQuarantined: (key, recordKeys) => backend.deleteQuarantined(key, recordKeys),
  close: () => backend.close(),
  async digest<R>(key: string, fn: DigestFunction<string, R>, options?: DigestOptions) {
    const attempt = randomUUID();
    const result = await backend.digest(
      key,
      (records) =>
        attempts.run(attempt, async () => {
          const value = await fn(records);
          // Delivered: a kill from here on (before or after the commit lands)
          // cannot take these records back from the caller.
          ledger.append(`F ${attempt}`);
          return value;
        }),
      options,
    );
    ledger.append(`C ${attempt}`);
    return result;
  },
};

const worker = new DigestWorker<string>({
  backend: ledgered,
  deliver: async ({ records }) => {
    const attempt = attempts.getStore() ?? 'unknown';
    ledger.append(`D ${attempt} ${records.map((r) => r.value).join(' ')}`);
    await sleep(10 + Math.random() * 60);
  },
  interval: 100,
  concurrency: 4,
  maintenanceAge: 1000,
});
worker.start();
process.send?.({ ready: true });

process.on('SIGTERM', () => {
  void worker.stop({ timeout: 3000 }).then(async () => {
    ledger.close();
    await close().catch(() => undefined);
    process.send?.({ counters: worker.counters });
    process.exit(0);
  });
});
