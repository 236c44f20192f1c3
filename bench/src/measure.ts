/**
 * Timing helpers shared by every scenario: a concurrent driver, percentiles
 * and progress lines. Times come from `performance.now()`.
 *
 * @module
 */

/** What one timed run did. */
export interface Throughput {
  readonly count: number;
  readonly ms: number;
  /** Operations per second. */
  readonly perSecond: number;
  /**
   * This process's CPU time (user + system) during the run. For the memory
   * backend — CPU-bound in this process — `count / cpuMs` is a figure a busy
   * machine distorts much less than wall time.
   */
  readonly cpuMs?: number;
}

/**
 * Runs `fn(0)`…`fn(total - 1)` with `concurrency` calls in flight, each call
 * awaited before its lane takes the next index: the same driver for our
 * backends, the raw store and the peers, so only the operation differs.
 *
 * @example
 * ```ts
 * const { perSecond } = await drive(100_000, 8, (i) => backend.add(`t:${i % 100}`, record(i)), 'add');
 * ```
 */
export async function drive(
  total: number,
  concurrency: number,
  fn: (index: number) => Promise<unknown>,
  label?: string,
): Promise<Throughput> {
  let next = 0;
  const progress = label === undefined ? undefined : new Progress(label, total);
  const lane = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      if (index >= total) return;
      await fn(index);
      if (progress !== undefined && (index & 1023) === 0) progress.tick(index);
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, total)) }, lane));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  progress?.done();
  return { ...throughput(total, ms), cpuMs: (used.user + used.system) / 1000 };
}

/**
 * {@link drive} for batch calls: `fn(from, to)` handles records `from`…`to - 1`
 * (`batch` of them, fewer in the last call), `concurrency` calls in flight.
 * The throughput counts records, not calls, so it compares with `drive`'s.
 *
 * @example
 * ```ts
 * const { perSecond } = await driveBatches(100_000, 100, 8, (from, to) => addMany(backend, entries(from, to)));
 * ```
 */
export async function driveBatches(
  total: number,
  batch: number,
  concurrency: number,
  fn: (from: number, to: number) => Promise<unknown>,
  label?: string,
): Promise<Throughput> {
  let next = 0;
  const progress = label === undefined ? undefined : new Progress(label, total);
  const lane = async (): Promise<void> => {
    for (;;) {
      const from = next;
      if (from >= total) return;
      const to = Math.min(total, from + batch);
      next = to;
      await fn(from, to);
      progress?.tick(to);
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const lanes = Math.max(1, Math.min(concurrency, Math.ceil(total / batch)));
  await Promise.all(Array.from({ length: lanes }, lane));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  progress?.done();
  return { ...throughput(total, ms), cpuMs: (used.user + used.system) / 1000 };
}

/** `count` operations in `ms` milliseconds, as a {@link Throughput}. */
export function throughput(count: number, ms: number): Throughput {
  return { count, ms, perSecond: ms > 0 ? (count / ms) * 1000 : 0 };
}

/** Latency percentiles in milliseconds. */
export interface Percentiles {
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * Nearest-rank percentiles of `samples` (milliseconds).
 *
 * @example
 * ```ts
 * percentiles([1, 2, 3, 100]).p50; // 2
 * ```
 */
export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number =>
    sorted.length === 0
      ? 0
      : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { samples: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/**
 * Progress on stderr for long work, at most one line every two seconds, so
 * a slow store never looks hung and a fast one prints nothing.
 */
export class Progress {
  readonly #label: string;
  readonly #total: number;
  readonly #started = performance.now();
  #printed = performance.now();
  #any = false;

  constructor(label: string, total: number) {
    this.#label = label;
    this.#total = total;
  }

  tick(done: number): void {
    const now = performance.now();
    if (now - this.#printed < 2000) return;
    this.#printed = now;
    this.#any = true;
    const rate = (done / (now - this.#started)) * 1000;
    const percent = ((done / this.#total) * 100).toFixed(0);
    process.stderr.write(`  … ${this.#label}: ${percent}% (${formatRate(rate)})\n`);
  }

  done(): void {
    if (this.#any) process.stderr.write(`  … ${this.#label}: done\n`);
  }
}

/** `12 345/s`-style rate. */
export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

/** Prints a step to stderr (stdout carries the tables). */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * A clock the scenario moves by hand ("schedule again after the backoff"
 * without waiting five minutes); give `read` to the backend.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const backend = new MemoryBackend({ clock: clock.read });
 * clock.advance(300_000);
 * ```
 */
export class ManualClock {
  now = Date.now();
  readonly read = (): number => this.now;

  advance(ms: number): void {
    this.now += ms;
  }
}
