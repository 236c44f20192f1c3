import {
  BackendUnavailableError,
  FallbackBackend,
  InvalidRecordError,
  isTransient,
  LeaseConflictError,
  PolyBackendError,
  RetryingBackend,
} from '@digests/core';
import { FaultyBackend } from '@digests/core/testing';
import { MemoryBackend } from '@digests/memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drain, memoryLogger, rec, T0 } from './helpers.js';

function setup() {
  let now = T0;
  const options = { clock: () => now, minimumDelay: 0, incrementDelay: 0 };
  const primary = new FaultyBackend(new MemoryBackend(options));
  const secondary = new FaultyBackend(new MemoryBackend(options));
  const logger = memoryLogger();
  const fallback = new FallbackBackend({ primary, secondary, logger });
  return {
    fallback,
    primary,
    secondary,
    logger,
    advance: (ms: number) => (now += ms),
    now: () => now,
  };
}

const LATER = T0 + 1_000_000;

describe('FallbackBackend writes', () => {
  it('writes the primary while it is up', async () => {
    const { fallback, primary, secondary } = setup();
    expect(await fallback.add('k', rec('a'))).toBe(true);
    expect((await primary.inner.inspect('k')).size).toBe(1);
    expect(secondary.calls('add')).toBe(0);
  });

  it('writes the secondary when the primary fails transiently, and logs the failure', async () => {
    const { fallback, primary, secondary, logger } = setup();
    primary.down = true;
    expect(await fallback.add('k', rec('a'))).toBe(true);
    expect((await secondary.inner.inspect('k')).size).toBe(1);
    expect(logger.messages).toEqual(['fallback: the primary failed, writing to the secondary']);
  });

  it('throws a failure that is not transient at once, without trying the secondary', async () => {
    const { fallback, primary, secondary } = setup();
    const error = new InvalidRecordError('rejected by the primary');
    primary.failOn('add', { error: () => error });
    await expect(fallback.add('k', rec('a'))).rejects.toBe(error);
    expect(secondary.calls('add')).toBe(0);
  });

  it('both down: a transient BackendUnavailableError carrying both causes', async () => {
    const { fallback, primary, secondary } = setup();
    primary.down = true;
    secondary.down = true;
    const error = await fallback.add('k', rec('a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(isTransient(error)).toBe(true);
    const cause = (error as Error).cause as AggregateError;
    expect(cause).toBeInstanceOf(AggregateError);
    expect(cause.errors.map((e: Error) => e.message)).toEqual([
      'injected failure: add',
      'injected failure: add',
    ]);
  });

  it('primary down and secondary failing for good: a PolyBackendError of both', async () => {
    const { fallback, primary, secondary } = setup();
    primary.down = true;
    secondary.failOn('add', { error: () => new LeaseConflictError('odd') });
    const error = await fallback.add('k', rec('a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolyBackendError);
    expect((error as PolyBackendError).errors).toHaveLength(2);
    expect(isTransient(error)).toBe(false);
  });

  it('a RetryingBackend around it retries until one store is back', async () => {
    const { fallback, primary, secondary } = setup();
    primary.down = true;
    secondary.down = true;
    const sleeps: number[] = [];
    const retrying = new RetryingBackend({
      backend: fallback,
      delays: [10, 20],
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 2) primary.down = false;
      },
    });
    expect(await retrying.add('k', rec('a'))).toBe(true);
    expect(sleeps).toEqual([10, 20]);
    expect((await primary.inner.inspect('k')).size).toBe(1);
  });

  it('delete reaches both stores', async () => {
    const { fallback, primary } = setup();
    await fallback.add('k', rec('a'));
    primary.down = true;
    await fallback.add('k', rec('b'));
    primary.down = false;
    await fallback.delete('k');
    expect(await fallback.inspect('k')).toEqual({ state: 'absent', size: 0 });
  });
});

describe('FallbackBackend during and after an outage', () => {
  it('delivers records written to the secondary, with the primary still down', async () => {
    const { fallback, primary } = setup();
    await fallback.add('k', rec('a'));
    primary.down = true;
    await fallback.add('k', rec('b', T0 + 1));
    await fallback.add('j', rec('c'));
    const delivered: string[] = [];
    await drain(fallback, LATER, delivered);
    // The primary's 'a' waits for the primary; the secondary's records are delivered.
    expect(delivered.sort()).toEqual(['j/c', 'k/b']);
    primary.down = false;
    await drain(fallback, LATER, delivered);
    expect(delivered.sort()).toEqual(['j/c', 'k/a', 'k/b']);
  });

  it('one digest takes a timeline from both stores at once', async () => {
    const { fallback, primary, secondary } = setup();
    await fallback.add('k', rec('a', T0));
    primary.down = true;
    await fallback.add('k', rec('b', T0 + 1));
    primary.down = false;
    let calls = 0;
    const keys = await fallback.digest('k', (records) => {
      calls++;
      return records.map((r) => r.key);
    });
    expect(keys).toEqual(['b', 'a']);
    expect(calls).toBe(1);
    expect((await primary.inner.inspect('k')).size).toBe(0);
    expect((await secondary.inner.inspect('k')).size).toBe(0);
  });

  it('the mover returns the secondary timelines to the primary: nothing lost, nothing doubled', async () => {
    const { fallback, primary, secondary } = setup();
    primary.down = true;
    const expected: string[] = [];
    for (let i = 0; i < 12; i++) {
      await fallback.add(`t${i % 4}`, rec(`r${i}`, T0 + i));
      expected.push(`t${i % 4}/r${i}`);
    }
    primary.down = false;
    const report = await fallback.moveBack();
    expect(report).toMatchObject({ keys: 4, records: 12, skipped: 0 });
    expect([...report.ready].sort()).toEqual(['t0', 't1', 't2', 't3']);
    for (let t = 0; t < 4; t++) {
      expect(await secondary.inner.inspect(`t${t}`)).toEqual({ state: 'absent', size: 0 });
      expect((await primary.inner.inspect(`t${t}`)).size).toBe(3);
    }
    expect(await (secondary.inner as MemoryBackend).storedItems()).toBe(0);
    const delivered: string[] = [];
    await drain(fallback, LATER, delivered);
    expect(delivered.sort()).toEqual(expected.sort());
  });

  it('the mover takes at most moveBatch records per digest of the secondary', async () => {
    let now = T0;
    const options = { clock: () => now, minimumDelay: 0, incrementDelay: 0 };
    const primary = new FaultyBackend<unknown>(new MemoryBackend(options));
    const secondary = new FaultyBackend<unknown>(new MemoryBackend(options));
    const fallback = new FallbackBackend({ primary, secondary, moveBatch: 10 });
    primary.down = true;
    for (let i = 0; i < 25; i++) await fallback.add('k', rec(`r${i}`, T0 + i));
    primary.down = false;
    const sizes: number[] = [];
    const digest = secondary.inner.digest.bind(secondary.inner);
    secondary.inner.digest = (key, fn, digestOptions) =>
      digest(
        key,
        (records) => {
          sizes.push(records.length);
          return fn(records);
        },
        digestOptions,
      );
    expect(await fallback.moveBack()).toMatchObject({ keys: 1, records: 25, skipped: 0 });
    expect(sizes).toEqual([10, 10, 5, 0]);
    expect((await primary.inner.inspect('k')).size).toBe(25);
    expect(await secondary.inner.inspect('k')).toEqual({ state: 'absent', size: 0 });
    now = LATER;
    const delivered: string[] = [];
    await drain(fallback, LATER, delivered);
    expect(delivered).toHaveLength(25);
  });

  it('a mover pass cut short by the primary moves the rest later, without duplicates', async () => {
    const { fallback, primary, secondary } = setup();
    primary.down = true;
    for (let i = 0; i < 6; i++) await fallback.add('k', rec(`r${i}`, T0 + i));
    await fallback.add('j', rec('x'));
    primary.down = false;
    // 'j' moves first (earliest, then by key); the primary fails on its third
    // add, so 'k' is half copied: one record in the primary, all six still in the secondary.
    primary.failOn('add', { after: 2, times: 1 });
    const first = await fallback.moveBack();
    expect(first).toMatchObject({ keys: 1, records: 1, skipped: 1 });
    expect((await secondary.inner.inspect('k')).size).toBe(6);
    expect((await primary.inner.inspect('k')).size).toBe(1);
    const second = await fallback.moveBack();
    expect(second).toMatchObject({ keys: 1, records: 6, skipped: 0 });
    expect((await primary.inner.inspect('k')).size).toBe(6);
    const delivered: string[] = [];
    await drain(fallback, LATER, delivered);
    expect(delivered.sort()).toEqual(['j/x', 'k/r0', 'k/r1', 'k/r2', 'k/r3', 'k/r4', 'k/r5']);
  });

  it('a stream through up, down, up, with the mover: every record delivered exactly once', async () => {
    const { fallback, primary, advance, now } = setup();
    const expected: string[] = [];
    const delivered: string[] = [];
    for (let i = 0; i < 60; i++) {
      primary.down = i >= 20 && i < 40;
      const key = `t${i % 5}`;
      if (await fallback.add(key, rec(`r${i}`, now()))) {
        await fallback.digest(key, (records) => {
          for (const r of records) delivered.push(`${key}/${r.key}`);
        });
      }
      expected.push(`${key}/r${i}`);
      if (i % 7 === 0) await drain(fallback, now(), delivered);
      if (i === 45) await fallback.moveBack();
      advance(1);
    }
    await fallback.moveBack();
    await drain(fallback, LATER, delivered);
    expect(delivered.sort()).toEqual(expected.sort());
    expect(new Set(delivered).size).toBe(delivered.length);
  });

  it('the periodic mover runs until stopped, and close() stops it', async () => {
    vi.useFakeTimers();
    let now = T0;
    const options = { clock: () => now, minimumDelay: 0 };
    const primary = new FaultyBackend(new MemoryBackend(options));
    const secondary = new MemoryBackend(options);
    const fallback = new FallbackBackend({ primary, secondary, moveInterval: 1_000 });
    expect(fallback.mover.running).toBe(true);
    primary.down = true;
    await fallback.add('k', rec('a'));
    primary.down = false;
    await vi.advanceTimersByTimeAsync(999);
    expect((await secondary.inspect('k')).size).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await fallback.mover.stop();
    expect((await secondary.inspect('k')).size).toBe(0);
    expect((await primary.inner.inspect('k')).size).toBe(1);
    fallback.mover.start(1_000);
    await fallback.close();
    expect(fallback.mover.running).toBe(false);
    now += 1;
  });
});

afterEach(() => {
  vi.useRealTimers();
});
