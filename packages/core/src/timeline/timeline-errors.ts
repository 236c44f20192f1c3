import type { Timeline } from './timeline.js';

const timelines = new WeakMap<object, Timeline>();

/**
 * Records that `error` happened during `timeline`, so whoever catches it can
 * see which store actions ran first. The error object is not modified (a
 * WeakMap holds the link), so frozen errors work and nothing leaks into
 * `JSON.stringify(error)`. Primitive throwables cannot carry a timeline.
 *
 * @example
 * ```ts
 * try {
 *   await deliver(records);
 * } catch (error) {
 *   throw attachTimeline(error, timeline);
 * }
 * ```
 */
export function attachTimeline<E>(error: E, timeline: Timeline): E {
  if ((typeof error === 'object' && error !== null) || typeof error === 'function') {
    timelines.set(error as object, timeline);
  }
  return error;
}

/**
 * The timeline attached to `error`, if any (also looked up on `error.cause`,
 * one level at a time).
 *
 * @example
 * ```ts
 * logger.error('digest failed', { error, timeline: timelineOf(error)?.format() });
 * ```
 */
export function timelineOf(error: unknown): Timeline | undefined {
  for (let current = error, depth = 0; depth < 8; depth++) {
    if (typeof current !== 'object' || current === null) return undefined;
    const timeline = timelines.get(current);
    if (timeline !== undefined) return timeline;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
