import { compareCodePoints } from '@digests/core';

/**
 * An indexed binary min-heap of keys ordered by (score, key in code-point
 * order): O(log n) insert, update and delete by key, O(1) peek. The memory
 * backend keeps one for waiting keys, one for ready keys and one for
 * last-touched times, so `schedule` costs O(k log n) for k due keys and never
 * scans every timeline.
 *
 * @example
 * ```ts
 * const waiting = new ScheduleIndex();
 * waiting.set('mail:p:1', 1_000);
 * waiting.set('mail:p:2', 500);
 * waiting.peek(); // { key: 'mail:p:2', score: 500 }
 * ```
 */
export class ScheduleIndex {
  readonly #keys: string[] = [];
  readonly #scores: number[] = [];
  readonly #positions = new Map<string, number>();

  get size(): number {
    return this.#keys.length;
  }

  /** The score of `key`, or `undefined` when it is not in the index. */
  get(key: string): number | undefined {
    const position = this.#positions.get(key);
    return position === undefined ? undefined : this.#scores[position];
  }

  has(key: string): boolean {
    return this.#positions.has(key);
  }

  /** Inserts `key` or moves it to `score`. */
  set(key: string, score: number): void {
    const position = this.#positions.get(key);
    if (position === undefined) {
      this.#keys.push(key);
      this.#scores.push(score);
      this.#positions.set(key, this.#keys.length - 1);
      this.#up(this.#keys.length - 1);
      return;
    }
    const previous = this.#scores[position]!;
    this.#scores[position] = score;
    if (score < previous) this.#up(position);
    else this.#down(position);
  }

  /** Removes `key`; returns whether it was there. */
  delete(key: string): boolean {
    const position = this.#positions.get(key);
    if (position === undefined) return false;
    const last = this.#keys.length - 1;
    this.#swap(position, last);
    this.#keys.pop();
    this.#scores.pop();
    this.#positions.delete(key);
    if (position < last) {
      this.#up(position);
      this.#down(position);
    }
    return true;
  }

  /** The lowest entry, or `undefined` when empty. */
  peek(): { key: string; score: number } | undefined {
    if (this.#keys.length === 0) return undefined;
    return { key: this.#keys[0]!, score: this.#scores[0]! };
  }

  /** Every entry as `[key, score]`, in no particular order. */
  *entries(): IterableIterator<[string, number]> {
    for (let i = 0; i < this.#keys.length; i++) yield [this.#keys[i]!, this.#scores[i]!];
  }

  /** Removes every entry. */
  clear(): void {
    this.#keys.length = 0;
    this.#scores.length = 0;
    this.#positions.clear();
  }

  /** Removes and returns the lowest entry. */
  pop(): { key: string; score: number } | undefined {
    const top = this.peek();
    if (top !== undefined) this.delete(top.key);
    return top;
  }

  #less(a: number, b: number): boolean {
    const sa = this.#scores[a]!;
    const sb = this.#scores[b]!;
    if (sa !== sb) return sa < sb;
    return compareCodePoints(this.#keys[a]!, this.#keys[b]!) < 0;
  }

  #swap(a: number, b: number): void {
    if (a === b) return;
    const keys = this.#keys;
    const scores = this.#scores;
    const key = keys[a]!;
    const score = scores[a]!;
    keys[a] = keys[b]!;
    scores[a] = scores[b]!;
    keys[b] = key;
    scores[b] = score;
    this.#positions.set(keys[a]!, a);
    this.#positions.set(key, b);
  }

  #up(position: number): void {
    let child = position;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.#less(child, parent)) return;
      this.#swap(child, parent);
      child = parent;
    }
  }

  #down(position: number): void {
    const length = this.#keys.length;
    let parent = position;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < length && this.#less(left, smallest)) smallest = left;
      if (right < length && this.#less(right, smallest)) smallest = right;
      if (smallest === parent) return;
      this.#swap(parent, smallest);
      parent = smallest;
    }
  }
}
