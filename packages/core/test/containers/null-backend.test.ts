import {
  ConfigurationError,
  InvalidKeyError,
  InvalidRecordError,
  InvalidStateError,
  NullBackend,
} from '@digests/core';
import { describe, expect, it } from 'vitest';
import { rec, T0 } from './helpers.js';

describe('NullBackend', () => {
  it('accepts every add, stores nothing, and has nothing to deliver', async () => {
    const backend = new NullBackend();
    expect(await backend.add('k', rec('a'))).toBe(false);
    expect(await backend.inspect('k')).toEqual({ state: 'absent', size: 0 });
    const due = [];
    for await (const entry of backend.schedule(Number.POSITIVE_INFINITY)) due.push(entry);
    expect(due).toEqual([]);
    expect(await backend.maintenance(T0)).toBe(0);
    await backend.flush('k');
    await backend.delete('k');
    await expect(backend.digest('k', () => 1)).rejects.toBeInstanceOf(InvalidStateError);
    await backend.close();
  });

  it('still validates its input', async () => {
    const backend = new NullBackend();
    await expect(backend.add('', rec('a'))).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(backend.add('k', rec('a', Number.NaN))).rejects.toBeInstanceOf(InvalidRecordError);
    await expect(backend.add('k', rec('a'), { incrementDelay: -1 })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
    await expect(backend.digest('k', 'nope' as never)).rejects.toBeInstanceOf(ConfigurationError);
    expect(() => backend.schedule(Number.NaN)).toThrow(ConfigurationError);
    await expect(backend.inspect('\ud800')).rejects.toBeInstanceOf(InvalidKeyError);
  });
});
