import { AsyncLocalStorage } from 'node:async_hooks';
import { Timeline } from './timeline.js';

/**
 * What the async context holds while a timeline is active (internal to
 * timeline/, not exported from the package).
 *
 * @example
 * ```ts
 * const frame: TimelineFrame | undefined = timelineStorage.getStore();
 * frame?.timeline.start('x', 'y', frame.parent).finish();
 * ```
 */
export interface TimelineFrame {
  readonly timeline: Timeline;
  /** The action whose function is running (for nesting), if any. */
  readonly parent?: number;
}

/**
 * The one AsyncLocalStorage of the package; internal to timeline/.
 *
 * @example
 * ```ts
 * timelineStorage.run({ timeline, parent: index }, fn); // fn's actions nest under `index`
 * ```
 */
export const timelineStorage = new AsyncLocalStorage<TimelineFrame>();

/**
 * Runs `fn` with `timeline` (a fresh one by default) as the current
 * timeline: every `timed` call in `fn`'s async flow records into it. One
 * timeline per request or job.
 *
 * @example
 * ```ts
 * await runWithTimeline(async (timeline) => {
 *   await backend.digest('mail:p:1', send);
 *   console.log(timeline.summary().text);
 * });
 * ```
 */
export function runWithTimeline<T>(
  fn: (timeline: Timeline) => T,
  timeline: Timeline = new Timeline(),
): T {
  return timelineStorage.run({ timeline }, fn, timeline);
}

/**
 * The timeline of the current request or job, if one is active.
 *
 * @example
 * ```ts
 * currentTimeline()?.start('cache', 'GET user:1').finish();
 * ```
 */
export function currentTimeline(): Timeline | undefined {
  return timelineStorage.getStore()?.timeline;
}
