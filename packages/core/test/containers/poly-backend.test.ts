import {
  BackendUnavailableError,
  CodecError,
  DigestsError,
  InvalidKeyError,
  InvalidStateError,
  isTransient,
  LeaseConflictError,
  LeaseLostError,
  PolyBackend,
  PolyBackendError,
} from '@digests/core';
import { FaultyBackend } from '@digests/core/testing';
import { MemoryBackend } from '@digests/memory';
import { describe, expect, it } from 'vitest';
import { drain, rec, T0 } from './helpers.js';

function setup(count = 2, leaseDuration = 30_000) {
  let now = T0;
  const memories = Array.from(
    { length: count },
    () =>
      new MemoryBackend({ clock: () => now, minimumDelay: 0, incrementDelay: 0, leaseDuration }),
  );
  const faulty = memories.map((memory) => new FaultyBackend(memory));
  const poly = new PolyBackend(faulty);
  return { poly, faulty, memories, advance: (ms: number) => (now += ms), now: () => now };
}

describe('PolyBackend writes', () => {
  it('tries every backend even after one failed, then throws every failure together', async () => {
    const { poly, faulty, memories } = setup(3);
    faulty[0]!.down = true;
    faulty[2]!.failOn('add', { error: () => new LeaseConflictError('not transient') });
    const error = await poly.add('k', rec('a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolyBackendError);
    expect(error).toBeInstanceOf(AggregateError);
    expect(error).toBeInstanceOf(DigestsError);
    const errors = (error as PolyBackendError).errors;
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(BackendUnavailableError);
    expect(errors[1]).toBeInstanceOf(LeaseConflictError);
    expect(isTransient(error)).toBe(false);
    expect(faulty.map((f) => f.calls('add'))).toEqual([1, 1, 1]);
    expect((await memories[1]!.inspect('k')).size).toBe(1);
  });

  it('is transient when every failure is', async () => {
    const { poly, faulty } = setup();
    faulty[0]!.down = true;
    const error = await poly.add('k', rec('a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolyBackendError);
    expect(isTransient(error)).toBe(true);
  });

  it('rejects bad input before any inner backend is called', async () => {
    const { poly, faulty } = setup();
    await expect(poly.add('', rec('a'))).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(poly.add('k', rec('a'), { maximumDelay: -5 })).rejects.toThrow(/maximumDelay/);
    expect(faulty.map((f) => f.calls('add'))).toEqual([0, 0]);
  });

  it('a value the codec rejects is a CodecError, not an aggregate, and nothing is stored', async () => {
    const { poly, memories } = setup();
    await expect(poly.add('k', rec('a', T0, 10n))).rejects.toBeInstanceOf(CodecError);
    expect(await Promise.all(memories.map((m) => m.storedItems()))).toEqual([0, 0]);
  });

  it('add resolves true when any copy became ready', async () => {
    const { poly, memories } = setup();
    await memories[0]!.add('k', rec('old'));
    expect(await poly.add('k', rec('a'))).toBe(true);
    expect(await poly.add('k', rec('b'))).toBe(false);
  });

  it('delete reaches every copy and reports the one that failed', async () => {
    const { poly, faulty, memories } = setup();
    await poly.add('k', rec('a'));
    faulty[1]!.failOn('delete', { times: 1 });
    await expect(poly.delete('k')).rejects.toBeInstanceOf(PolyBackendError);
    expect((await memories[0]!.inspect('k')).state).toBe('absent');
    expect((await memories[1]!.inspect('k')).size).toBe(1);
    await poly.delete('k');
    expect((await poly.inspect('k')).state).toBe('absent');
  });
});

describe('PolyBackend reads', () => {
  it('delivers each record once and removes it from every copy', async () => {
    const { poly, memories } = setup();
    await poly.add('k', rec('a', T0));
    await poly.add('k', rec('b', T0 + 1));
    expect(await poly.inspect('k')).toMatchObject({ state: 'ready', size: 2 });
    let calls = 0;
    const keys = await poly.digest('k', (records) => {
      calls++;
      return records.map((r) => r.key);
    });
    expect(keys).toEqual(['b', 'a']);
    expect(calls).toBe(1);
    for (const memory of memories) expect((await memory.inspect('k')).size).toBe(0);
  });

  it('merges diverged copies: a record key once, the newer record wins', async () => {
    const { poly, memories } = setup();
    await memories[0]!.add('k', rec('x', T0, 'old'));
    await memories[1]!.add('k', rec('x', T0 + 5, 'new'));
    await memories[1]!.add('k', rec('y', T0 + 1));
    const records = await poly.digest('k', (r) => [...r]);
    expect(records).toEqual([rec('x', T0 + 5, 'new'), rec('y', T0 + 1)]);
  });

  it('skips a copy that is down: schedule, digest and inspect go on from the other', async () => {
    const { poly, faulty, advance, now } = setup();
    await poly.add('k', rec('a'));
    await poly.digest('k', () => undefined);
    await poly.add('k', rec('b'));
    advance(10);
    faulty[0]!.down = true;
    expect(await poly.inspect('k')).toMatchObject({ state: 'waiting', size: 1 });
    const delivered: string[] = [];
    await poly.maintenance(now()).catch(() => undefined); // a write: the down copy fails it
    for await (const { key } of poly.schedule(now())) {
      await poly.digest(key, (records) => delivered.push(...records.map((r) => r.key)));
    }
    expect(delivered).toEqual(['b']);
  });

  it('throws a transient error when every copy is down', async () => {
    const { poly, faulty } = setup();
    await poly.add('k', rec('a'));
    for (const f of faulty) f.down = true;
    const error = await poly.digest('k', () => undefined).catch((e: unknown) => e);
    expect(isTransient(error)).toBe(true);
    await expect(poly.inspect('k')).rejects.toBeInstanceOf(BackendUnavailableError);
    const iterate = async () => {
      for await (const _ of poly.schedule(T0)) void _;
    };
    await expect(iterate()).rejects.toBeInstanceOf(BackendUnavailableError);
  });

  it('a digest whose fn throws leaves the records in every copy', async () => {
    const { poly, memories } = setup();
    await poly.add('k', rec('a'));
    const boom = new Error('smtp down');
    await expect(
      poly.digest('k', () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    for (const memory of memories)
      expect(await memory.inspect('k')).toMatchObject({ state: 'ready', size: 1 });
    expect(await poly.digest('k', (r) => r.length)).toBe(1);
  });

  it('a lease held in one copy: LeaseConflictError, fn not called, the other copy released', async () => {
    const { poly, memories } = setup();
    await poly.add('k', rec('a'));
    let release!: () => void;
    const held = memories[1]!.digest('k', () => new Promise<void>((r) => (release = r)));
    let called = false;
    await expect(
      poly.digest('k', () => {
        called = true;
      }),
    ).rejects.toBeInstanceOf(LeaseConflictError);
    expect(called).toBe(false);
    // memories[0]'s lease was given back: it can be digested on its own.
    expect(await memories[0]!.digest('k', (r) => r.length)).toBe(1);
    release();
    await held;
  });

  it('a lease lost in one copy: the other commits, LeaseLostError, the lost copy keeps its records', async () => {
    const { poly, memories, advance } = setup(2, 1_000);
    await poly.add('k', rec('a'));
    await expect(
      poly.digest('k', async () => {
        advance(5_000);
        // Another worker takes the expired lease of copy 1 and fails its delivery.
        await memories[1]!
          .digest('k', () => {
            throw new Error('other worker failed');
          })
          .catch(() => undefined);
      }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect((await memories[0]!.inspect('k')).size).toBe(0);
    expect(await memories[1]!.inspect('k')).toMatchObject({ state: 'ready', size: 1 });
  });

  it('digest of a key ready nowhere is InvalidStateError', async () => {
    const { poly } = setup();
    await expect(poly.digest('k', () => undefined)).rejects.toBeInstanceOf(InvalidStateError);
  });

  it('a copy down during the whole stream loses nothing: the other delivers everything', async () => {
    const { poly, faulty, now } = setup();
    const delivered: string[] = [];
    faulty[1]!.failOn('add', { after: 3, times: 4 });
    const expected: string[] = [];
    for (let i = 0; i < 10; i++) {
      await poly.add(`t${i % 3}`, rec(`r${i}`, T0 + i)).catch(() => undefined);
      expected.push(`t${i % 3}/r${i}`);
    }
    await drain(poly, now() + 1_000_000, delivered);
    expect(delivered.sort()).toEqual(expected.sort());
  });
});
