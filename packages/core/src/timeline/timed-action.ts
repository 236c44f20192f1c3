/**
 * One store round trip (or any other timed step) recorded in a {@link Timeline}.
 *
 * Each action records its own start offset and duration, so concurrent
 * actions show as overlapping intervals; an action started inside another
 * one's function names it as `parent` (its index in `timeline.actions`).
 *
 * @example
 * ```ts
 * for (const action of timeline.actions) {
 *   console.log(`${action.category} ${action.detail}: ${action.duration?.toFixed(2)} ms`);
 * }
 * ```
 */
export interface TimedAction {
  /** Who did it: `redis`, `postgres`, `memory`, `deliver`, … */
  readonly category: string;
  /** What it did: `ADD mail:p:1`, `DIGEST mail:p:1`, `EVAL schedule`, … */
  readonly detail: string;
  /** Milliseconds from the timeline's creation to the action's start. */
  readonly start: number;
  /** Milliseconds the action took; `undefined` while it still runs. */
  readonly duration: number | undefined;
  /** What the action threw, if it failed. */
  readonly error?: unknown;
  /** Index (in `timeline.actions`) of the action whose function started this one. */
  readonly parent?: number;
}
