/**
 * Keeps a container's two kinds of schedule moves apart: schedules claiming
 * keys in the inner backends (shared: any number at once) and maintenance
 * moving keys back (exclusive). Held only around the inner calls — never
 * while a schedule's consumer runs — so calling `maintenance` inside a
 * `schedule` loop cannot deadlock.
 *
 * Why: a poly's copies move in step only if maintenance never runs between
 * one copy's claim of a key and the other copy's claim of the same key;
 * otherwise one copy moves the key back and the other does not, and the
 * merged schedule counts two transitions where maintenance reported one.
 *
 * @example
 * ```ts
 * const gate = new MoveGate();
 * await gate.shared(() => claimFromEveryCopy());
 * await gate.exclusive(() => maintenanceOnEveryCopy());
 * ```
 */
export class MoveGate {
  #shared = 0;
  #idle: (() => void)[] = [];
  #exclusive: Promise<void> | undefined;

  /** Runs `fn` alongside other shared sections, after any exclusive one. */
  async shared<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#exclusive !== undefined) await this.#exclusive;
    this.#shared++;
    try {
      return await fn();
    } finally {
      this.#shared--;
      if (this.#shared === 0) {
        const idle = this.#idle;
        this.#idle = [];
        for (const wake of idle) wake();
      }
    }
  }

  /** Runs `fn` alone: new shared sections wait, running ones are waited for. */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#exclusive !== undefined) await this.#exclusive;
    let done!: () => void;
    this.#exclusive = new Promise((resolve) => {
      done = resolve;
    });
    try {
      while (this.#shared > 0) await new Promise<void>((wake) => this.#idle.push(wake));
      return await fn();
    } finally {
      this.#exclusive = undefined;
      done();
    }
  }
}
