import { constants, deflateRawSync } from 'node:zlib';
import type { Codec, EncodedValue } from '@digests/core';
import { CompressedJsonCodec, DigestWorker, StoreBackend } from '@digests/core';
import { MemoryStore } from '@digests/memory';
import { describe, expect, it } from 'vitest';

const MiB = 1024 * 1024;
const T0 = 1_700_000_000_000;
/** Each planted value inflates to this much JSON (spaces, then `0`). */
const BOMB_SIZE = 400 * MiB;
const BOMBS = 12;

/**
 * One compressed-codec value (header byte 1, raw deflate) that inflates to
 * `BOMB_SIZE` bytes of valid JSON. Built from one independently deflated
 * MiB of spaces (a full flush makes it byte-aligned and free of back
 * references), repeated — so building it never holds the inflated bytes.
 */
function decompressionBomb(): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(MiB, 0x20), {
    level: 9,
    finishFlush: constants.Z_FULL_FLUSH,
  });
  const tail = deflateRawSync(Buffer.from('0'));
  return Buffer.concat([Buffer.of(1), ...Array<Buffer>(BOMB_SIZE / MiB).fill(block), tail]);
}

/** A codec that stores the bomb for values marked `{ bomb: true }`, else the real codec's bytes. */
function plantingCodec(real: Codec<unknown>, bomb: Uint8Array): Codec<unknown> {
  return {
    name: 'planting',
    encode: (value): EncodedValue =>
      (value as { bomb?: boolean }).bomb === true ? bomb : real.encode(value),
    decode: (data) => real.decode(data),
  };
}

const maxRssMiB = () => process.resourceUsage().maxRSS / 1024;

describe('fault: a decompression bomb planted in the store', () => {
  it('is quarantined by the digest; the worker survives, good records are delivered, RSS stays bounded', async () => {
    const bomb = decompressionBomb();
    const store = new MemoryStore();
    const codec = new CompressedJsonCodec(); // the default maxInflatedSize (64 MiB)
    // Two fronts over one store: one plants the bombs, the worker reads with the real codec.
    const planter = new StoreBackend(store, { clock: () => T0, codec: plantingCodec(codec, bomb) });
    let now = T0;
    const backend = new StoreBackend(store, { clock: () => now, codec });

    const acknowledged: string[] = [];
    for (let i = 0; i < 5; i++) {
      for (const key of ['victim', 'bystander']) {
        await planter.add(key, { key: `good${i}`, value: { n: i }, timestamp: T0 + i });
        acknowledged.push(`${key}/good${i}`);
      }
    }
    for (let i = 0; i < BOMBS; i++) {
      await planter.add('victim', { key: `bomb${i}`, value: { bomb: true }, timestamp: T0 + i });
    }
    const storedBytes = bomb.byteLength * BOMBS;

    const delivered: string[] = [];
    const worker = new DigestWorker({
      backend,
      clock: () => now,
      deliver: ({ key, records }) => {
        for (const record of records) delivered.push(`${key}/${record.key}`);
      },
    });
    const rssBefore = maxRssMiB();
    now = T0 + 3_600_000; // past maintenanceAge: the ready keys are taken up again
    const started = performance.now();
    await worker.runOnce();
    const elapsed = performance.now() - started;
    const rssPeak = maxRssMiB();

    // The worker is alive and the timeline is not blocked: a later add goes
    // out with the next pass once its backoff expired.
    await worker.add('victim', { key: 'after', value: { n: 99 }, timestamp: now });
    acknowledged.push('victim/after');
    now += 3_600_000;
    await worker.runOnce();

    const lost = acknowledged.filter((id) => !delivered.includes(id));
    const duplicated = delivered.length - new Set(delivered).size;
    const quarantined = await backend.quarantined('victim');
    console.info(
      [
        `decompression bomb: ${BOMBS} values of ${(storedBytes / MiB).toFixed(1)} MiB stored, each inflating to ${BOMB_SIZE / MiB} MiB`,
        `acknowledged ${acknowledged.length} good / delivered ${delivered.length} / lost ${lost.length} / duplicated ${duplicated}; quarantined ${quarantined.length}`,
        `digest pass ${elapsed.toFixed(0)} ms; peak RSS ${rssPeak.toFixed(0)} MiB (${rssBefore.toFixed(0)} MiB before the pass)`,
      ].join('\n'),
    );

    expect(lost).toEqual([]);
    expect(duplicated).toBe(0);
    expect(worker.counters.failures).toBe(0);
    expect(quarantined.map((q) => q.key).sort()).toEqual(
      Array.from({ length: BOMBS }, (_, i) => `bomb${i}`).sort(),
    );
    expect(quarantined.every((q) => q.value.length === bomb.byteLength)).toBe(true);
    expect((await backend.inspect('victim')).quarantined).toBe(BOMBS);
    // Inflating even one bomb in full would add 400 MiB; all of them, 4.8 GiB.
    expect(rssPeak - rssBefore).toBeLessThan(BOMB_SIZE / MiB);

    // An operator reads them raw and deletes them.
    expect(await backend.deleteQuarantined('victim')).toBe(BOMBS);
    expect((await backend.inspect('victim')).quarantined).toBeUndefined();
    await worker.stop();
  }, 60_000);
});
