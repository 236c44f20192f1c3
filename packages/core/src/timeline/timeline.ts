import type { TimedAction } from './timed-action.js';

/**
 * Options of {@link Timeline}.
 *
 * @example
 * ```ts
 * let now = 0;
 * const timeline = new Timeline({ clock: () => now, limit: 100 });
 * ```
 */
export interface TimelineOptions {
  /** A monotonic source of milliseconds. Default `performance.now`. */
  readonly clock?: () => number;
  /** Keep at most this many actions; later ones are only counted (`dropped`). Default 1000. */
  readonly limit?: number;
}

/**
 * What {@link Timeline.summary} reports: "N store actions in X ms".
 *
 * @example
 * ```ts
 * const { count, duration, text } = timeline.summary();
 * logger.info(text); // "3 actions in 4.20 ms: memory 2 (1.10 ms), deliver 1 (3.10 ms)"
 * ```
 */
export interface TimelineSummary {
  /** Actions recorded (not counting dropped ones). */
  readonly count: number;
  /** Actions that threw. */
  readonly failed: number;
  /** The sum of the finished actions' durations (concurrent actions add up). */
  readonly duration: number;
  /** Per category: how many actions and their summed duration. */
  readonly categories: Readonly<
    Record<string, { readonly count: number; readonly duration: number }>
  >;
  /** Actions beyond the limit that were not kept. */
  readonly dropped: number;
  /** One line for a log. */
  readonly text: string;
}

/**
 * The handle of a started action: finish it exactly once.
 *
 * @example
 * ```ts
 * const action: ActionHandle = timeline.start('redis', 'GET a');
 * try { await redis.get('a'); action.finish(); } catch (error) { action.finish(error); throw error; }
 * ```
 */
export interface ActionHandle {
  /** The action's index in `timeline.actions`, or -1 when it was dropped. */
  readonly index: number;
  finish(error?: unknown): void;
}

interface MutableAction {
  category: string;
  detail: string;
  start: number;
  duration: number | undefined;
  error?: unknown;
  parent?: number;
}

const DROPPED: ActionHandle = Object.freeze({ index: -1, finish: () => undefined });

/**
 * The actions one request or job performed, in the order they started
 * (Launchpad's request timeline). Usually created by `runWithTimeline` and
 * filled by `timed`; read it to see where the time went.
 *
 * Nesting and concurrency: every action keeps its own start offset (from the
 * timeline's creation) and duration, so concurrent actions are overlapping
 * intervals, never a corrupted stack; an action started inside another
 * action's function records that action's index as `parent`.
 *
 * @example
 * ```ts
 * const timeline = new Timeline();
 * const action = timeline.start('redis', 'EVAL add mail:p:1');
 * await redis.evalsha(...);
 * action.finish();
 * console.log(timeline.format());
 * ```
 */
export class Timeline {
  readonly #clock: () => number;
  readonly #origin: number;
  readonly #limit: number;
  readonly #actions: MutableAction[] = [];
  #dropped = 0;

  constructor(options: TimelineOptions = {}) {
    this.#clock = options.clock ?? (() => performance.now());
    this.#limit = options.limit ?? 1000;
    this.#origin = this.#clock();
  }

  /** A copy of the actions, in start order. */
  get actions(): readonly TimedAction[] {
    return this.#actions.map((action) => ({ ...action }));
  }

  /** How many actions were not kept because the limit was reached. */
  get dropped(): number {
    return this.#dropped;
  }

  /**
   * Records the start of an action; call `finish()` on the handle when it
   * ends (with the error if it failed). Past the limit, the action is counted
   * as dropped and the handle does nothing.
   */
  start(category: string, detail: string, parent?: number): ActionHandle {
    if (this.#actions.length >= this.#limit) {
      this.#dropped++;
      return DROPPED;
    }
    const start = this.#clock() - this.#origin;
    const action: MutableAction = { category, detail, start, duration: undefined };
    if (parent !== undefined && parent >= 0) action.parent = parent;
    const index = this.#actions.push(action) - 1;
    let finished = false;
    return {
      index,
      finish: (error?: unknown) => {
        if (finished) return;
        finished = true;
        action.duration = this.#clock() - this.#origin - start;
        if (error !== undefined) action.error = error;
      },
    };
  }

  /** "N actions in X ms", with a count and a summed duration per category. */
  summary(): TimelineSummary {
    const categories: Record<string, { count: number; duration: number }> = {};
    let duration = 0;
    let failed = 0;
    for (const action of this.#actions) {
      const entry = categories[action.category] ?? { count: 0, duration: 0 };
      categories[action.category] = entry;
      entry.count++;
      entry.duration += action.duration ?? 0;
      duration += action.duration ?? 0;
      if ('error' in action) failed++;
    }
    const count = this.#actions.length;
    const parts = Object.entries(categories).map(
      ([name, entry]) => `${name} ${entry.count} (${ms(entry.duration)})`,
    );
    let text = `${count} action${count === 1 ? '' : 's'} in ${ms(duration)}`;
    if (parts.length > 0) text += `: ${parts.join(', ')}`;
    if (failed > 0) text += `; ${failed} failed`;
    if (this.#dropped > 0) text += `; ${this.#dropped} more not kept`;
    return { count, failed, duration, categories, dropped: this.#dropped, text };
  }

  /**
   * One line per action: index, start offset, duration, category, detail and
   * the error; nested actions are indented under their parent.
   *
   * ```text
   * #0 +0.00 ms   1.20 ms memory DIGEST mail:p:1
   * #1 +0.10 ms   1.00 ms   deliver mail:p:1 ✗ Error: SMTP 451
   * ```
   */
  format(): string {
    const depths: number[] = [];
    const lines = this.#actions.map((action, index) => {
      const depth = action.parent === undefined ? 0 : (depths[action.parent] ?? 0) + 1;
      depths[index] = depth;
      const took = action.duration === undefined ? 'running' : ms(action.duration);
      let line = `#${index} +${ms(action.start)} ${took.padStart(10)} ${'  '.repeat(depth)}${action.category} ${action.detail}`;
      if ('error' in action) line += ` ✗ ${describeError(action.error)}`;
      return line;
    });
    lines.push(this.summary().text);
    return lines.join('\n');
  }
}

function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
