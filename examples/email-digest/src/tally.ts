/**
 * The example's proof that nothing was lost: every event id added and every
 * record id delivered is counted, so "lost 0" is checked, not assumed.
 *
 * @module
 */

/**
 * What {@link Tally.result} reports.
 *
 * @example
 * ```ts
 * const { eventsIn, digestsOut, delivered, lost, duplicates } = tally.result();
 * ```
 */
export interface TallyResult {
  readonly eventsIn: number;
  readonly digestsOut: number;
  /** Record deliveries, duplicates included. */
  readonly delivered: number;
  /** Event ids added but never delivered. */
  readonly lost: readonly string[];
  /** Record ids delivered more than once (allowed by SPEC, but worth showing). */
  readonly duplicates: readonly string[];
  /** Record ids delivered that were never added (would mean leftovers or a bug). */
  readonly unexpected: readonly string[];
}

/**
 * Counts events in and records out.
 *
 * @example
 * ```ts
 * const tally = new Tally();
 * tally.added('evt-1');
 * tally.digest(['evt-1']);
 * tally.result().lost; // []
 * ```
 */
export class Tally {
  readonly #added = new Set<string>();
  readonly #delivered = new Map<string, number>();
  #digests = 0;
  #deliveries = 0;

  /** Records one added event id. */
  added(id: string): void {
    this.#added.add(id);
  }

  /** Records one delivered digest and its record ids. */
  digest(ids: readonly string[]): void {
    this.#digests++;
    for (const id of ids) {
      this.#deliveries++;
      this.#delivered.set(id, (this.#delivered.get(id) ?? 0) + 1);
    }
  }

  /** Compares the two sides. */
  result(): TallyResult {
    return {
      eventsIn: this.#added.size,
      digestsOut: this.#digests,
      delivered: this.#deliveries,
      lost: [...this.#added].filter((id) => !this.#delivered.has(id)),
      duplicates: [...this.#delivered].filter(([, n]) => n > 1).map(([id]) => id),
      unexpected: [...this.#delivered.keys()].filter((id) => !this.#added.has(id)),
    };
  }
}
