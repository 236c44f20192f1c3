/**
 * Times and durations as an operator reads them: "in 4m 12s", "3h ago".
 *
 * @module
 */

/**
 * A duration in its two largest units: `4m 12s`, `2h 5m`, `850ms`.
 *
 * @example
 * ```ts
 * formatDuration(252_000); // '4m 12s'
 * ```
 */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)}ms`;
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  const parts: string[] = [];
  let rest = Math.floor(abs);
  for (const [name, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    // Two units from the largest non-zero one: "2h 5m", never "2h 5m 3s".
    if (parts.length === 0 && count === 0) continue;
    parts.push(count > 0 ? `${count}${name}` : '');
    if (parts.length === 2) break;
  }
  return parts.filter((part) => part !== '').join(' ');
}

/**
 * When `at` is, relative to `now`: `in 4m 12s`, `3h ago`, `now`.
 *
 * @example
 * ```ts
 * relativeTime(now + 60_000, now); // 'in 1m'
 * ```
 */
export function relativeTime(at: number, now: number): string {
  const delta = at - now;
  if (Math.abs(delta) < 1000) return 'now';
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
}

/**
 * An ISO time, or a plain number when the score is not a date a browser can show.
 *
 * @example
 * ```ts
 * isoTime(0); // '1970-01-01T00:00:00.000Z'
 * ```
 */
export function isoTime(at: number): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : date.toISOString();
}
