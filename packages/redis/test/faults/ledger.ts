/**
 * What a fault test counts: every record an `add` acknowledged, and every
 * record a digest that committed handed over (a digest whose function ran
 * but whose commit failed delivered nothing: its records come again).
 */
export class Ledger {
  readonly acknowledged = new Set<string>();
  readonly #deliveries = new Map<string, number>();

  /** Records one committed digest's records. */
  delivered(ids: Iterable<string>): void {
    for (const id of ids) this.#deliveries.set(id, (this.#deliveries.get(id) ?? 0) + 1);
  }

  /** acknowledged / delivered / lost / duplicated, as the issue asks them printed. */
  tally(): { acknowledged: number; delivered: number; lost: number; duplicated: number } {
    let lost = 0;
    for (const id of this.acknowledged) if (!this.#deliveries.has(id)) lost++;
    let duplicated = 0;
    for (const count of this.#deliveries.values()) duplicated += count - 1;
    return {
      acknowledged: this.acknowledged.size,
      delivered: this.#deliveries.size,
      lost,
      duplicated,
    };
  }
}
