import {
  BackendUnavailableError,
  ConfigurationError,
  InvalidStateError,
  infiniteBackoff,
  LeaseConflictError,
  limitedBackoff,
  RetryingBackend,
  sleep,
} from '@digests/core';
import { FaultyBackend } from '@digests/core/testing';
import { MemoryBackend } from '@digests/memory';
import { describe, expect, it } from 'vitest';

const T0 = 1_700_000_000_000;
const rec = (key: string) => ({ key, value: key, timestamp: T0 });

function setup(policy: { delays: readonly number[]; repeatLast: boolean }, signal?: AbortSignal) {
  const faulty = new FaultyBackend(new MemoryBackend({ clock: () => T0, minimumDelay: 0 }));
  const sleeps: number[] = [];
  const backend = new RetryingBackend({
    backend: faulty,
    ...policy,
    ...(signal ? { signal } : {}),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { backend, faulty, sleeps };
}

describe('RetryingBackend', () => {
  it('retries transient failures with the delays in order', async () => {
    const { backend, faulty, sleeps } = setup(limitedBackoff([10, 20, 40]));
    faulty.failOn('add', { times: 2 });
    expect(await backend.add('k', rec('a'))).toBe(true);
    expect(faulty.calls('add')).toBe(3);
    expect(sleeps).toEqual([10, 20]);
  });

  it('does not retry a failure that is not transient', async () => {
    const { backend, faulty, sleeps } = setup(limitedBackoff([10]));
    faulty.failOn('inspect', { error: () => new LeaseConflictError('not transient') });
    await expect(backend.inspect('k')).rejects.toBeInstanceOf(LeaseConflictError);
    await expect(backend.add('', rec('a'))).rejects.toThrow(/key must not be empty/);
    expect(faulty.calls('inspect')).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('limited: gives up after the last delay and throws the last failure', async () => {
    const { backend, faulty, sleeps } = setup(limitedBackoff([1, 2, 3]));
    let n = 0;
    faulty.failOn('flush', { error: () => new BackendUnavailableError(`failure ${++n}`) });
    await expect(backend.flush('k')).rejects.toThrow('failure 4');
    expect(faulty.calls('flush')).toBe(4);
    expect(sleeps).toEqual([1, 2, 3]);
  });

  it('limited with no delays: one attempt, its failure thrown', async () => {
    const { backend, faulty } = setup(limitedBackoff([]));
    faulty.down = true;
    await expect(backend.maintenance(T0)).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(faulty.calls('maintenance')).toBe(1);
  });

  it('infinite: repeats the last delay until the store is back', async () => {
    const { backend, faulty, sleeps } = setup(infiniteBackoff([1, 5]));
    faulty.failOn('delete', { times: 6 });
    await backend.delete('k');
    expect(sleeps).toEqual([1, 5, 5, 5, 5, 5]);
  });

  it('stops when its signal aborts and throws the last failure', async () => {
    const controller = new AbortController();
    const faulty = new FaultyBackend(new MemoryBackend());
    faulty.down = true;
    let waits = 0;
    const backend = new RetryingBackend({
      backend: faulty,
      ...infiniteBackoff([1]),
      signal: controller.signal,
      sleep: async () => {
        if (++waits === 3) controller.abort();
      },
    });
    await expect(backend.add('k', rec('a'))).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(faulty.calls('add')).toBe(3);
  });

  it('an abort ends a long wait at once (real sleep, aborted)', async () => {
    const controller = new AbortController();
    const faulty = new FaultyBackend(new MemoryBackend());
    faulty.down = true;
    const backend = new RetryingBackend({
      backend: faulty,
      ...infiniteBackoff([3_600_000]),
      signal: controller.signal,
    });
    const attempt = backend.inspect('k');
    queueMicrotask(() => controller.abort());
    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(faulty.calls('inspect')).toBe(1);
  });

  it('digest: retries a failure to open, never calls fn twice for one delivery', async () => {
    const { backend, faulty, sleeps } = setup(limitedBackoff([1, 1]));
    await backend.add('k', rec('a'));
    faulty.failOn('digest', { times: 1 });
    let calls = 0;
    const delivered = await backend.digest('k', (records) => {
      calls++;
      return records.length;
    });
    expect(delivered).toBe(1);
    expect(calls).toBe(1);
    expect(sleeps).toEqual([1]);
  });

  it('digest: a transient failure from fn itself is not retried', async () => {
    const { backend, sleeps } = setup(limitedBackoff([1, 1]));
    await backend.add('k', rec('a'));
    let calls = 0;
    await expect(
      backend.digest('k', () => {
        calls++;
        throw new BackendUnavailableError('smtp unreachable');
      }),
    ).rejects.toThrow('smtp unreachable');
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
    await expect(backend.digest('j', () => 1)).rejects.toBeInstanceOf(InvalidStateError);
  });

  it('schedule: restarts after a transient failure and yields every due key once', async () => {
    const { backend, faulty, sleeps } = setup(limitedBackoff([7]));
    for (const key of ['a', 'b', 'c']) {
      await faulty.inner.add(key, rec('r'));
    }
    await faulty.inner.maintenance(T0);
    faulty.failOn('schedule', { times: 1 });
    const keys: string[] = [];
    for await (const { key } of backend.schedule(T0)) keys.push(key);
    expect(keys).toEqual(['a', 'b', 'c']);
    expect(sleeps).toEqual([7]);
  });

  it('validates its delays', () => {
    const backend = new MemoryBackend();
    expect(() => new RetryingBackend({ backend, delays: [1, -1] })).toThrow(
      'delays[1] must be a finite number ≥ 0',
    );
    expect(() => new RetryingBackend({ backend, delays: [], repeatLast: true })).toThrow(
      ConfigurationError,
    );
  });

  it('the real sleep waits, and rejects with the reason of an aborted signal', async () => {
    const started = Date.now();
    await sleep(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4);
    const reason = new Error('shutdown');
    await expect(sleep(10_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
