import {
  BackendUnavailableError,
  CircuitBreakerBackend,
  FallbackBackend,
  InvalidKeyError,
} from '@digests/core';
import { FaultyBackend } from '@digests/core/testing';
import { MemoryBackend } from '@digests/memory';
import { describe, expect, it } from 'vitest';
import { memoryLogger, rec, T0 } from './helpers.js';

function setup() {
  let time = 0;
  const faulty = new FaultyBackend(new MemoryBackend({ clock: () => T0, minimumDelay: 0 }));
  const breaker = new CircuitBreakerBackend({ backend: faulty, cooldown: 1_000, now: () => time });
  return { faulty, breaker, pass: (ms: number) => (time += ms) };
}

describe('CircuitBreakerBackend', () => {
  it('after a transient failure, fails fast for the cooldown, then tries again', async () => {
    const { faulty, breaker, pass } = setup();
    faulty.down = true;
    await expect(breaker.add('k', rec('a'))).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(breaker.open).toBe(true);
    faulty.down = false;
    await expect(breaker.inspect('k')).rejects.toThrow(/fail fast/);
    expect(faulty.calls('inspect')).toBe(0);
    pass(1_000);
    expect(breaker.open).toBe(false);
    expect(await breaker.add('k', rec('a'))).toBe(true);
  });

  it('is not opened by failures that are not transient, nor by the digest function', async () => {
    const { breaker } = setup();
    await expect(breaker.add('', rec('a'))).rejects.toBeInstanceOf(InvalidKeyError);
    await breaker.add('k', rec('a'));
    const mine = new BackendUnavailableError('smtp is down');
    await expect(
      breaker.digest('k', () => {
        throw mine;
      }),
    ).rejects.toBe(mine);
    expect(breaker.open).toBe(false);
  });

  it('a schedule that fails transiently opens it', async () => {
    const { faulty, breaker } = setup();
    faulty.failOn('schedule', { times: 1 });
    const iterate = async () => {
      for await (const _ of breaker.schedule(T0)) void _;
    };
    await expect(iterate()).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(breaker.open).toBe(true);
    await expect(iterate()).rejects.toThrow(/fail fast/);
  });
});

describe('FallbackBackend with retryPrimaryAfter', () => {
  it('skips a primary that just failed: one primary call per cooldown, one warning', async () => {
    const primary = new FaultyBackend(new MemoryBackend({ clock: () => T0, minimumDelay: 0 }));
    const secondary = new MemoryBackend({ clock: () => T0, minimumDelay: 0 });
    const logger = memoryLogger();
    const fallback = new FallbackBackend({ primary, secondary, logger, retryPrimaryAfter: 60_000 });
    expect(fallback.primary).toBe(primary);
    primary.down = true;
    for (let i = 0; i < 5; i++) await fallback.add('k', rec(`r${i}`, T0 + i));
    expect(primary.calls('add')).toBe(1);
    expect(logger.messages).toEqual(['fallback: the primary failed, writing to the secondary']);
    expect((await secondary.inspect('k')).size).toBe(5);
    expect(await fallback.digest('k', (records) => records.length)).toBe(5);
    expect(primary.calls('digest')).toBe(0);
  });
});
