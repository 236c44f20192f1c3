/**
 * Simulated time: the backend and the worker both read it, and the example
 * moves it forward, so three hours of traffic take seconds.
 *
 * @module
 */

/**
 * A clock that only moves when told to.
 *
 * @example
 * ```ts
 * const clock = new SimulatedClock(Date.UTC(2025, 2, 14, 9));
 * const backend = new MemoryBackend({ clock: clock.now });
 * clock.advanceTo(clock.now() + 60_000);
 * ```
 */
export class SimulatedClock {
  #now: number;

  constructor(start: number) {
    this.#now = start;
  }

  /** The current simulated time; bound, so it can be passed as `clock`. */
  readonly now = (): number => this.#now;

  /** Moves forward to `time`; never backwards. */
  advanceTo(time: number): void {
    this.#now = Math.max(this.#now, time);
  }
}
