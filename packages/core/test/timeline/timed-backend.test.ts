import { runConformance } from '@digests/conformance';
import { MemoryBackend } from '@digests/memory';
import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../src/errors.js';
import { timed } from '../../src/timeline/timed.js';
import { TimedBackend } from '../../src/timeline/timed-backend.js';
import { runWithTimeline } from '../../src/timeline/timeline-context.js';
import { timelineOf } from '../../src/timeline/timeline-errors.js';
import { DigestWorker } from '../../src/worker/digest-worker.js';

// The wrapper must be invisible: the whole contract holds through it.
runConformance({
  name: 'timed(memory)',
  create: async (options) => new TimedBackend(new MemoryBackend(options), { category: 'memory' }),
  storedItems: async (backend) =>
    ((backend as TimedBackend<unknown>).inner as MemoryBackend).storedItems(),
});

const record = (key: string, timestamp: number) => ({ key, value: key, timestamp });

describe('TimedBackend', () => {
  it('records one action per operation, named after the category', async () => {
    let now = 1_000;
    const backend = new TimedBackend(new MemoryBackend({ clock: () => now }), {
      category: 'memory',
    });
    await runWithTimeline(async (timeline) => {
      await backend.add('mail:p:1', record('e1', now));
      await backend.digest('mail:p:1', () => timed('deliver', 'mail:p:1', () => undefined));
      await backend.inspect('mail:p:1');
      await backend.flush('mail:p:1');
      now += 1;
      for await (const _entry of backend.schedule(now)) {
        // one entry
      }
      await backend.maintenance(5);
      await backend.delete('mail:p:1');
      await backend.close();
      expect(timeline.actions.map((a) => [a.category, a.detail, a.parent])).toEqual([
        ['memory', 'ADD mail:p:1', undefined],
        ['memory', 'DIGEST mail:p:1', undefined],
        ['deliver', 'mail:p:1', 1],
        ['memory', 'INSPECT mail:p:1', undefined],
        ['memory', 'FLUSH mail:p:1', undefined],
        ['memory', 'SCHEDULE ≤ 1001', undefined],
        ['memory', 'MAINTENANCE ≤ 5', undefined],
        ['memory', 'DELETE mail:p:1', undefined],
        ['memory', 'CLOSE', undefined],
      ]);
      expect(timeline.actions.every((a) => a.duration !== undefined)).toBe(true);
      expect(timeline.summary().text).toMatch(/^9 actions in .*: memory 8 .*deliver 1/);
    });
  });

  it('records failures, and finishes a schedule the consumer left early', async () => {
    const backend = new TimedBackend(new MemoryBackend({ clock: () => 10 }));
    for (const key of ['a', 'b', 'c']) {
      await backend.add(key, record('e', 0));
      await backend.digest(key, () => undefined);
      await backend.add(key, record('f', 1));
    }
    await runWithTimeline(async (timeline) => {
      await expect(backend.digest('nope', () => undefined)).rejects.toBeInstanceOf(
        InvalidStateError,
      );
      for await (const _entry of backend.schedule(1_000_000)) break;
      const [failed, schedule] = timeline.actions;
      expect(failed).toMatchObject({ category: 'backend', detail: 'DIGEST nope' });
      expect(failed?.error).toBeInstanceOf(InvalidStateError);
      expect(schedule?.detail).toBe('SCHEDULE ≤ 1000000');
      expect(schedule?.duration).toBeDefined();
    });
  });

  it("gives a failed worker digest's error a timeline with the store round trips", async () => {
    const now = 1_000;
    const backend = new TimedBackend(new MemoryBackend<string>({ clock: () => now }), {
      category: 'memory',
    });
    const failure = new Error('SMTP 451');
    const worker = new DigestWorker({
      backend,
      clock: () => now,
      deliver: () => {
        throw failure;
      },
    });
    await worker.add('mail:p:1', record('e1', now));
    const timeline = timelineOf(failure);
    expect(timeline?.actions.map((a) => [a.detail, a.parent, a.error])).toEqual([
      ['DIGEST mail:p:1', undefined, failure],
      ['mail:p:1', 0, failure],
    ]);
    expect(timeline?.format()).toContain('deliver mail:p:1 ✗ Error: SMTP 451');
  });
});
