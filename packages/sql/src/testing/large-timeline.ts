import type { SqlBackend } from '../sql-backend.js';

/** The shape of {@link digestLargeTimeline}'s run. */
export interface LargeTimelineShape {
  /** Records in the one timeline. Default 200 000. */
  readonly records?: number;
  /** Bytes of each value. Default 1024. */
  readonly valueSize?: number;
  /** `DigestOptions.limit` of every digest. */
  readonly limit: number;
  /** Runs each digest (e.g. inside a timeline that records its statements). */
  readonly around?: (digest: () => Promise<void>) => Promise<void>;
}

/** What {@link digestLargeTimeline} measured. */
export interface LargeTimelineRun {
  readonly added: number;
  readonly delivered: number;
  readonly duplicates: number;
  readonly digests: number;
  /** The longest digest (open + commit; `fn` does nothing), in ms. */
  readonly longestDigestMs: number;
  /** Resident memory before the first digest, in bytes. */
  readonly rssBefore: number;
  /** The highest resident memory seen after any digest, in bytes. */
  readonly peakRss: number;
}

/**
 * Fills one timeline with `records` values of `valueSize` bytes (through
 * `addMany`, 1000 at a time), then digests it with `limit` until it is
 * empty, counting what was delivered and sampling resident memory after
 * every digest. A store whose digest reads the whole timeline shows it in
 * `peakRss - rssBefore` and in `longestDigestMs`.
 *
 * @example
 * ```ts
 * const run = await digestLargeTimeline(backend, { limit: 500 });
 * expect(run.delivered).toBe(run.added);
 * ```
 */
export async function digestLargeTimeline(
  backend: SqlBackend<unknown>,
  shape: LargeTimelineShape,
): Promise<LargeTimelineRun> {
  const { records = 200_000, valueSize = 1024, limit, around = (digest) => digest() } = shape;
  const key = 'faults:large-timeline';
  const payload = 'x'.repeat(valueSize - 20);
  const t0 = 1_700_000_000_000;
  for (let start = 0; start < records; start += 1000) {
    const entries = Array.from({ length: Math.min(1000, records - start) }, (_, i) => ({
      key,
      record: { key: `r${start + i}`, value: `${start + i}:${payload}`, timestamp: t0 + start + i },
    }));
    await backend.addMany(entries);
  }
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let longestDigestMs = 0;
  let delivered = 0;
  let digests = 0;
  const seen = new Set<string>();
  let duplicates = 0;
  for (;;) {
    const info = await backend.inspect(key);
    if (info.state === 'absent' || info.size === 0) break;
    if (info.state === 'waiting') await backend.flush(key);
    const started = performance.now();
    let inside = 0;
    await around(async () => {
      await backend.digest(
        key,
        (batch) => {
          inside = performance.now();
          for (const record of batch) {
            if (seen.has(record.key)) duplicates++;
            seen.add(record.key);
          }
          delivered += batch.length;
          inside = performance.now() - inside;
        },
        { limit, minimumDelay: 0 },
      );
    });
    longestDigestMs = Math.max(longestDigestMs, performance.now() - started - inside);
    digests++;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  return {
    added: records,
    delivered,
    duplicates,
    digests,
    longestDigestMs,
    rssBefore,
    peakRss,
  };
}
