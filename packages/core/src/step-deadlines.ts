/**
 * Operation timeouts without a timer per call: every store step in flight
 * is one entry in a set, and one unref'd interval (running only while steps
 * are in flight) rejects the entries whose deadline passed. A timer per step
 * cost more than the in-memory store's whole add.
 *
 * @module
 */

interface Watched {
  readonly deadline: number;
  readonly expire: () => void;
}

/**
 * Watches steps in flight against one timeout, in real time (never the
 * backend's `clock`, which tests drive).
 *
 * @example
 * ```ts
 * const deadlines = new StepDeadlines(5_000);
 * const entry = deadlines.watch(() => reject(new Error('timed out')));
 * // … when the step settles:
 * deadlines.settle(entry);
 * ```
 */
export class StepDeadlines {
  readonly #timeout: number;
  readonly #period: number;
  readonly #watched = new Set<Watched>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(timeout: number) {
    this.#timeout = timeout;
    // A step fails at most a fifth of the timeout late (and never before it).
    this.#period = Math.max(5, Math.min(1000, Math.floor(timeout / 5)));
  }

  /** Starts watching a step; `expire` runs once if it outlives the timeout. */
  watch(expire: () => void): Watched {
    const entry: Watched = { deadline: performance.now() + this.#timeout, expire };
    this.#watched.add(entry);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#check(), this.#period);
      this.#timer.unref?.();
    }
    return entry;
  }

  /** The step settled: stop watching it. */
  settle(entry: Watched): void {
    this.#watched.delete(entry);
  }

  #check(): void {
    const now = performance.now();
    for (const entry of this.#watched) {
      if (entry.deadline <= now) {
        this.#watched.delete(entry);
        entry.expire();
      }
    }
    if (this.#watched.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
