import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import {
  type CalendarWindow,
  checkCalendarWindow,
  nextOccurrence,
} from '../../src/worker/calendar-window.js';
import type { KeyOptionsSource } from '../../src/worker/key-options.js';
import { FakeClock, keysOf, memoryBackend, rec, recordingWorker } from './worker-harness.js';

const BERLIN_NINE: CalendarWindow = { cron: '0 9 * * *', timeZone: 'Europe/Berlin' };
const utc = (iso: string): number => Date.parse(`${iso}Z`);
const iso = (time: number): string => new Date(time).toISOString().slice(0, 16);

/** Every key gets `window`. */
const windowed = (window: CalendarWindow): KeyOptionsSource => ({
  forKey: async () => ({ enabled: true, window }),
});

/**
 * A worker on a driven clock, a pass every 15 minutes from `from` to `to`,
 * and an event for `k` at each of `events`. Returns when each delivery
 * happened and what it held.
 */
async function drive(
  window: CalendarWindow,
  { from, to, events }: { from: string; to: string; events: readonly string[] },
) {
  const clock = new FakeClock();
  clock.now = utc(from);
  const backend = memoryBackend(clock);
  const delivered: { at: string; records: string[] }[] = [];
  const { worker } = recordingWorker(backend, clock, {
    options: windowed(window),
    maintenanceAge: 3_600_000,
    deliver: (delivery) => {
      delivered.push({ at: iso(clock.now), records: keysOf(delivery) });
    },
  });
  const pending = events.map(utc).sort((a, b) => a - b);
  for (let now = utc(from); now <= utc(to); now += 15 * 60_000) {
    clock.now = now;
    while (pending.length > 0 && (pending[0] ?? Infinity) <= now) {
      const at = pending.shift() ?? now;
      await worker.add('k', rec(`e@${iso(at)}`, at));
    }
    await worker.runOnce();
  }
  return { delivered, backend };
}

describe('checkCalendarWindow', () => {
  it('accepts a window and returns a frozen copy', () => {
    const window = checkCalendarWindow(
      { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin', holdFirst: false },
      'keys.k.window',
    );
    expect(window).toEqual({ cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin', holdFirst: false });
    expect(Object.isFrozen(window)).toBe(true);
    expect(checkCalendarWindow({ cron: '0 30 9 * * *', timeZone: 'UTC' }, 'w')).toEqual({
      cron: '0 30 9 * * *',
      timeZone: 'UTC',
    });
  });

  it.each([
    [null, /^teams\.a\.window must be an object/],
    ['0 9 * * *', /^teams\.a\.window must be an object/],
    [{ cron: '0 9 * * *', timezone: 'UTC' }, /^teams\.a\.window\.timezone is not a window field/],
    [{ timeZone: 'UTC' }, /^teams\.a\.window\.cron must be a cron expression/],
    [
      { cron: 'every morning', timeZone: 'UTC' },
      /^teams\.a\.window\.cron "every morning" is invalid/,
    ],
    [{ cron: '0 25 * * *', timeZone: 'UTC' }, /^teams\.a\.window\.cron "0 25 \* \* \*" is invalid/],
    [{ cron: '0 9 30 2 *', timeZone: 'UTC' }, /never occurs/],
    [
      { cron: '0 9 * * *', timeZone: 'Europe/Atlantis' },
      /^teams\.a\.window\.timeZone must be an IANA/,
    ],
    [{ cron: '0 9 * * *', timeZone: 'UTC', holdFirst: 'no' }, /holdFirst must be true or false/],
  ])('rejects %j naming the path', (value, message) => {
    expect(() => checkCalendarWindow(value, 'teams.a.window')).toThrow(ConfigurationError);
    expect(() => checkCalendarWindow(value, 'teams.a.window')).toThrow(message);
  });
});

describe('nextOccurrence', () => {
  it('is strictly after the given time, in the window’s zone', () => {
    const weekdays = { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' };
    // Friday 11:00 Berlin → Monday 09:00 Berlin (CET, UTC+1).
    expect(iso(nextOccurrence(weekdays, utc('2025-03-14T10:00')))).toBe('2025-03-17T08:00');
    expect(iso(nextOccurrence(weekdays, utc('2025-03-17T07:59')))).toBe('2025-03-17T08:00');
    expect(iso(nextOccurrence(weekdays, utc('2025-03-17T08:00')))).toBe('2025-03-18T08:00');
    expect(iso(nextOccurrence({ cron: '0 9 * * *', timeZone: 'America/New_York' }, 0))).toBe(
      '1970-01-01T14:00',
    );
  });

  it('follows Berlin across the March change: 09:00 moves from 08:00 to 07:00 UTC', () => {
    expect(iso(nextOccurrence(BERLIN_NINE, utc('2026-03-28T00:00')))).toBe('2026-03-28T08:00');
    expect(iso(nextOccurrence(BERLIN_NINE, utc('2026-03-28T08:00')))).toBe('2026-03-29T07:00');
  });

  it('follows Berlin across the October change: 09:00 moves from 07:00 to 08:00 UTC', () => {
    expect(iso(nextOccurrence(BERLIN_NINE, utc('2026-10-24T00:00')))).toBe('2026-10-24T07:00');
    expect(iso(nextOccurrence(BERLIN_NINE, utc('2026-10-24T07:00')))).toBe('2026-10-25T08:00');
  });

  it('a time skipped in March fires right after the gap; a time repeated in October fires once', () => {
    const halfPastTwo = { cron: '30 2 * * *', timeZone: 'Europe/Berlin' };
    // 2026-03-29 02:00 CET → 03:00 CEST: 02:30 does not exist; 03:00 CEST is 01:00 UTC.
    expect(iso(nextOccurrence(halfPastTwo, utc('2026-03-28T12:00')))).toBe('2026-03-29T01:00');
    expect(iso(nextOccurrence(halfPastTwo, utc('2026-03-29T01:00')))).toBe('2026-03-30T00:30');
    // 2026-10-25 03:00 CEST → 02:00 CET: 02:30 happens at 00:30 and 01:30 UTC; only the first.
    expect(iso(nextOccurrence(halfPastTwo, utc('2026-10-24T12:00')))).toBe('2026-10-25T00:30');
    expect(iso(nextOccurrence(halfPastTwo, utc('2026-10-25T00:30')))).toBe('2026-10-26T01:30');
  });
});

describe('DigestWorker with a calendar window (driven clock)', () => {
  it('delivers at 09:00 Berlin across the March change, holding the first event', async () => {
    const { delivered } = await drive(BERLIN_NINE, {
      from: '2026-03-27T10:00',
      to: '2026-03-30T12:00',
      events: ['2026-03-27T10:00', '2026-03-27T15:00', '2026-03-28T12:00', '2026-03-29T12:00'],
    });
    expect(delivered).toEqual([
      { at: '2026-03-28T08:00', records: ['e@2026-03-27T15:00', 'e@2026-03-27T10:00'] },
      { at: '2026-03-29T07:00', records: ['e@2026-03-28T12:00'] },
      { at: '2026-03-30T07:00', records: ['e@2026-03-29T12:00'] },
    ]);
  });

  it('delivers at 09:00 Berlin across the October change', async () => {
    const { delivered, backend } = await drive(BERLIN_NINE, {
      from: '2026-10-23T10:00',
      to: '2026-10-27T12:00',
      events: ['2026-10-23T10:00', '2026-10-24T12:00', '2026-10-25T12:00'],
    });
    expect(delivered).toEqual([
      { at: '2026-10-24T07:00', records: ['e@2026-10-23T10:00'] },
      { at: '2026-10-25T08:00', records: ['e@2026-10-24T12:00'] },
      { at: '2026-10-26T08:00', records: ['e@2026-10-25T12:00'] },
    ]);
    // 10-27's window found nothing new: an empty digest, and the key is absent again.
    expect(await backend.inspect('k')).toMatchObject({ state: 'absent', size: 0 });
  });

  it('a skipped local time delivers right after the gap; a repeated one delivers once', async () => {
    const window = { cron: '30 2 * * *', timeZone: 'Europe/Berlin' };
    const spring = await drive(window, {
      from: '2026-03-28T12:00',
      to: '2026-03-30T12:00',
      events: ['2026-03-28T12:00', '2026-03-29T12:00'],
    });
    expect(spring.delivered.map(({ at }) => at)).toEqual(['2026-03-29T01:00', '2026-03-30T00:30']);
    const autumn = await drive(window, {
      from: '2026-10-24T12:00',
      to: '2026-10-26T12:00',
      events: ['2026-10-24T12:00', '2026-10-25T00:45', '2026-10-25T12:00'],
    });
    expect(autumn.delivered).toEqual([
      { at: '2026-10-25T00:30', records: ['e@2026-10-24T12:00'] },
      // 00:45 UTC is after the first 02:30; the second 02:30 (01:30 UTC) does not fire.
      { at: '2026-10-26T01:30', records: ['e@2026-10-25T12:00', 'e@2026-10-25T00:45'] },
    ]);
  });

  it('holdFirst: false delivers a quiet key’s first event at once, the rest at the window', async () => {
    const { delivered } = await drive(
      { ...BERLIN_NINE, holdFirst: false },
      {
        from: '2026-03-27T10:00',
        to: '2026-03-29T12:00',
        events: ['2026-03-27T10:00', '2026-03-27T11:00', '2026-03-27T23:00'],
      },
    );
    expect(delivered).toEqual([
      { at: '2026-03-27T10:00', records: ['e@2026-03-27T10:00'] },
      { at: '2026-03-28T08:00', records: ['e@2026-03-27T23:00', 'e@2026-03-27T11:00'] },
    ]);
  });

  it('an unchecked, broken window fails the add before storing, and a pass counts it without rejecting', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const broken = { cron: '0 9 * * *', timeZone: 'Mars/Olympus' };
    const { worker } = recordingWorker(backend, clock, { options: windowed(broken) });
    await expect(worker.add('k', rec('e1', clock.now))).rejects.toThrow(ConfigurationError);
    expect(await backend.inspect('k')).toMatchObject({ state: 'absent', size: 0 });
    await backend.add('k', rec('e1', clock.now));
    await backend.digest('k', () => undefined);
    await backend.add('k', rec('e2', clock.now));
    clock.advance(1_000);
    expect(await worker.runOnce()).toMatchObject({ scheduled: 1, delivered: 0, failed: 1 });
    expect(worker.counters.failures).toBe(1);
  });
});
