/**
 * The memory store's sweeps over its schedule heaps: claiming due waiting
 * keys, requeueing stuck ready keys, expiring untouched keys. Each costs
 * O(k log n) for k keys moved, never a scan.
 *
 * @module
 */
import type { ScheduleEntry } from '@digests/core';
import { leaseHeld, type MemoryTimeline } from './memory-timeline.js';
import type { ScheduleIndex } from './schedule-index.js';

/**
 * Moves up to `limit` waiting keys with score ≤ `deadline` to ready, earliest first.
 *
 * @example
 * ```ts
 * const chunk = claimDue(waiting, ready, now, 100);
 * ```
 */
export function claimDue(
  waiting: ScheduleIndex,
  ready: ScheduleIndex,
  deadline: number,
  limit: number,
): ScheduleEntry[] {
  const chunk: ScheduleEntry[] = [];
  while (chunk.length < limit) {
    const top = waiting.peek();
    if (top === undefined || top.score > deadline) break;
    waiting.delete(top.key);
    ready.set(top.key, top.score);
    chunk.push({ key: top.key, timestamp: top.score });
  }
  return chunk;
}

/**
 * Moves ready keys with score ≤ `deadline` whose lease is not held back to
 * waiting, keeping their scores; returns how many moved.
 *
 * @example
 * ```ts
 * const moved = requeueDue(ready, waiting, timelines, now - 300_000, now);
 * ```
 */
export function requeueDue(
  ready: ScheduleIndex,
  waiting: ScheduleIndex,
  timelines: ReadonlyMap<string, MemoryTimeline>,
  deadline: number,
  now: number,
): number {
  const leased: { key: string; score: number }[] = [];
  let moved = 0;
  for (let top = ready.peek(); top !== undefined && top.score <= deadline; ) {
    ready.delete(top.key);
    if (leaseHeld(timelines.get(top.key), now)) {
      leased.push(top);
    } else {
      waiting.set(top.key, top.score);
      moved++;
    }
    top = ready.peek();
  }
  for (const { key, score } of leased) ready.set(key, score);
  return moved;
}

/**
 * Calls `forget` on every key last touched at or before `touchedBefore`
 * whose lease is not held at `now`; returns how many.
 *
 * @example
 * ```ts
 * const expired = expireUntouched(touched, timelines, now - ttl, now, (key) => forget(key));
 * ```
 */
export function expireUntouched(
  touched: ScheduleIndex,
  timelines: ReadonlyMap<string, MemoryTimeline>,
  touchedBefore: number,
  now: number,
  forget: (key: string) => void,
): number {
  const leased: { key: string; score: number }[] = [];
  let expired = 0;
  for (let top = touched.peek(); top !== undefined && top.score <= touchedBefore; ) {
    if (leaseHeld(timelines.get(top.key), now)) {
      touched.delete(top.key);
      leased.push(top);
    } else {
      forget(top.key);
      expired++;
    }
    top = touched.peek();
  }
  for (const { key, score } of leased) touched.set(key, score);
  return expired;
}
