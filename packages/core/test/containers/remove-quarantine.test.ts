import type { Backend, Codec } from '@digests/core';
import {
  CodecError,
  FallbackBackend,
  InvalidKeyError,
  JsonCodec,
  PolyBackend,
  PolyBackendError,
  RoutingBackend,
} from '@digests/core';
import { FaultyBackend } from '@digests/core/testing';
import { MemoryBackend } from '@digests/memory';
import { describe, expect, it } from 'vitest';
import { rec, T0 } from './helpers.js';

/** JSON, except that a stored value containing "poison" cannot be decoded. */
const poisonCodec: Codec<unknown> = {
  name: 'json-with-poison',
  encode: (value) => new JsonCodec().encode(value),
  decode: (data) => {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    if (text.includes('poison')) throw new CodecError('undecodable on purpose');
    return JSON.parse(text);
  },
};

function inners() {
  const options = { clock: () => T0, minimumDelay: 0, codec: poisonCodec };
  return {
    a: new FaultyBackend<unknown>(new MemoryBackend(options)),
    b: new FaultyBackend<unknown>(new MemoryBackend(options)),
  };
}

/**
 * Each container, how it counts what its inner backends return (copies:
 * the largest; different records: the sum), and which inner backends
 * `remove` must reach for a key routed to `a`.
 */
const containers: readonly [
  string,
  (a: Backend, b: Backend) => Backend,
  'max' | 'sum',
  'both' | 'routed',
][] = [
  ['poly', (a, b) => new PolyBackend([a, b]), 'max', 'both'],
  ['fallback', (a, b) => new FallbackBackend({ primary: a, secondary: b }), 'sum', 'both'],
  [
    'routing',
    (a, b) =>
      new RoutingBackend({ predicate: (key) => key !== 'elsewhere', primary: a, secondary: b }),
    'sum',
    'routed',
  ],
];

describe.each(containers)('%s: remove and quarantine', (_, build, counts, reach) => {
  it('remove reaches every inner backend that may hold the key, and validates first', async () => {
    const { a, b } = inners();
    const container = build(a, b);
    for (const inner of [a, b]) {
      await inner.add('k', rec('r1'));
      await inner.add('k', rec('r2'));
    }
    await expect(container.remove('k', ['ok', ''])).rejects.toBeInstanceOf(InvalidKeyError);
    expect(a.calls('remove') + b.calls('remove')).toBe(0);
    const removed = await container.remove('k', ['r1', 'missing']);
    const expected = reach === 'routed' ? 1 : counts === 'max' ? 1 : 2;
    expect(removed).toBe(expected);
    expect((await a.inspect('k')).size).toBe(1);
    expect((await b.inspect('k')).size).toBe(reach === 'routed' ? 2 : 1);
    expect(b.calls('remove')).toBe(reach === 'routed' ? 0 : 1);
  });

  it('quarantine: counted by inspect, merged by record key, deleted everywhere', async () => {
    const { a, b } = inners();
    const container = build(a, b);
    await a.add('k', rec('good', T0, 'fine'));
    await a.add('k', rec('bad1', T0 + 1, 'poison one'));
    await b.add('k', rec('bad1', T0 + 1, 'poison one'));
    await b.add('k', rec('bad2', T0 + 2, 'poison two'));
    const delivered = await container.digest('k', (records) => records.map((r) => r.key));
    expect(delivered).toEqual(['good']);
    const info = await container.inspect('k');
    expect(info.quarantined).toBe(counts === 'max' ? 2 : 3);
    const raw = await container.quarantined('k');
    expect(raw.map((q) => q.key)).toEqual(['bad1', 'bad2']);
    const stored = raw[1]!.value;
    expect(typeof stored === 'string' ? stored : new TextDecoder().decode(stored)).toContain(
      'poison two',
    );
    const deleted = await container.deleteQuarantined('k', ['bad1']);
    expect(deleted).toBe(counts === 'max' ? 1 : 2);
    expect((await container.quarantined('k')).map((q) => q.key)).toEqual(['bad2']);
    await container.deleteQuarantined('k');
    expect(await container.quarantined('k')).toEqual([]);
    expect((await container.inspect('k')).quarantined).toBeUndefined();
  });

  it('quarantined skips an inner backend that is down', async () => {
    const { a, b } = inners();
    const container = build(a, b);
    await b.add('k', rec('bad', T0, 'poison'));
    await b.digest('k', () => undefined);
    a.down = true;
    expect((await container.quarantined('k')).map((q) => q.key)).toEqual(['bad']);
  });
});

describe('remove through a poly whose copy is down', () => {
  it('tries every copy, then throws the failures together', async () => {
    const { a, b } = inners();
    const poly = new PolyBackend([a, b]);
    await poly.add('k', rec('r1'));
    b.down = true;
    await expect(poly.remove('k', ['r1'])).rejects.toBeInstanceOf(PolyBackendError);
    expect((await a.inspect('k')).size).toBe(0);
  });
});
