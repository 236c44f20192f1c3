import { describe, expect, it } from 'vitest';
import type { Backend, DigestFunction, DigestOptions } from '../../src/index.js';
import {
  DELAYS,
  FakeClock,
  gate,
  keysOf,
  memoryBackend,
  rec,
  recordingWorker,
  settle,
} from './worker-harness.js';

/**
 * A backend whose digests, once committed, wait for `held` before they
 * resolve: the window in which the worker still counts the digest as
 * running although the store already moved on.
 */
function committedButNotFinished(backend: Backend<string>) {
  const held = gate();
  let holding = true;
  const wrapped: Backend<string> = Object.assign(Object.create(backend) as Backend<string>, {
    digest: async <R>(key: string, fn: DigestFunction<string, R>, options?: DigestOptions) => {
      const result = await backend.digest(key, fn, options);
      if (holding) await held.promise;
      return result;
    },
    add: backend.add.bind(backend),
    schedule: backend.schedule.bind(backend),
    maintenance: backend.maintenance.bind(backend),
    inspect: backend.inspect.bind(backend),
  });
  return {
    backend: wrapped,
    release() {
      holding = false;
      held.open();
    },
  };
}

describe('DigestWorker never leaves a ready key unattended', () => {
  it('a "first" add during its own committed-but-unfinished digest is digested once that digest ends', async () => {
    const clock = new FakeClock();
    const memory = memoryBackend(clock);
    const race = committedButNotFinished(memory);
    const { worker, deliveries } = recordingWorker(race.backend, clock, {
      // Maintenance must not be what rescues the key.
      maintenanceAge: 3_600_000,
    });
    await memory.add('k', rec('e1', clock.now));
    await memory.digest('k', () => undefined); // k waits; its backoff expires with no record
    clock.advance(DELAYS.minimumDelay);

    // The pass's empty digest of k commits (k becomes absent) but does not finish yet.
    const pass = worker.runOnce();
    await settle();
    expect(await memory.inspect('k')).toMatchObject({ state: 'absent' });

    // An event arrives in that window: the add makes k ready and says "first".
    let added = false;
    const adding = worker.add('k', rec('e2', clock.now)).finally(() => {
      added = true;
    });
    await settle();
    // The add waits for the digest it queued behind the running one.
    expect(added).toBe(false);
    expect(await memory.inspect('k')).toMatchObject({ state: 'ready', size: 1 });
    expect(deliveries).toHaveLength(0);

    race.release();
    expect(await adding).toBe(true);
    await pass;
    expect(deliveries.map(keysOf)).toEqual([['e2']]);
    expect(await memory.inspect('k')).toMatchObject({ state: 'waiting', size: 0 });
    expect(worker.counters).toMatchObject({ emptyDigests: 1, digestsDelivered: 1, failures: 0 });
  });

  it('stop() leaves no key claimed but unreached: every key is digested or still waiting', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const held = gate();
    let started = 0;
    const { worker } = recordingWorker(backend, clock, {
      concurrency: 2,
      maintenanceAge: 3_600_000,
      deliver: async () => {
        started++;
        await held.promise;
      },
    });
    const keys = Array.from({ length: 50 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    for (const key of keys) {
      await backend.add(key, rec('e1', clock.now));
      await backend.digest(key, () => undefined);
      await backend.add(key, rec('e2', clock.now));
    }
    clock.advance(1_000);
    const pass = worker.runOnce();
    await settle();
    expect(started).toBe(2);
    const stopping = worker.stop();
    held.open();
    await stopping;
    await pass;

    const states = await Promise.all(keys.map((key) => backend.inspect(key)));
    expect(states.filter((info) => info.state === 'ready')).toEqual([]);
    // The two digested keys are empty now; the other 48 still wait with their record.
    expect(states.filter((info) => info.size === 0)).toHaveLength(2);
    expect(states.filter((info) => info.state === 'waiting' && info.size === 1)).toHaveLength(48);
  });

  it('a key the schedule yields while this worker still digests it is digested again after', async () => {
    const clock = new FakeClock();
    const memory = memoryBackend(clock, { minimumDelay: 0, incrementDelay: 0 });
    const race = committedButNotFinished(memory);
    const { worker, deliveries } = recordingWorker(race.backend, clock, {
      maintenanceAge: 3_600_000,
    });
    // e1's digest commits (minimumDelay 0: k waits, due now) but does not finish…
    const adding = worker.add('k', rec('e1', clock.now));
    await settle();
    await memory.add('k', rec('e2', clock.now));
    // …and a pass claims k in that window.
    const pass = worker.runOnce();
    await settle();
    expect(await memory.inspect('k')).toMatchObject({ state: 'ready', size: 1 });
    race.release();
    await adding;
    expect(await pass).toMatchObject({ scheduled: 1, delivered: 1 });
    expect(deliveries.map(keysOf)).toEqual([['e1'], ['e2']]);
  });
});
