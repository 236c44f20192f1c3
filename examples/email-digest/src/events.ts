/**
 * A seeded, synthetic stream of alert events: a handful of projects, each with
 * issues whose frequencies are skewed (a few noisy issues, a long tail), a
 * level per issue, and an incident burst now and then. The same seed always
 * yields the same stream, so the example's output is repeatable.
 *
 * @module
 */

/** How bad an event is, most severe first. */
export const LEVELS = ['fatal', 'error', 'warning', 'info'] as const;

/** One of {@link LEVELS}. */
export type Level = (typeof LEVELS)[number];

/**
 * A project that sends alerts: one digest timeline per project.
 *
 * @example
 * ```ts
 * const project: Project = { id: 1, slug: 'checkout', name: 'Checkout', team: 'payments' };
 * ```
 */
export interface Project {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly team: string;
}

/**
 * An issue: the group events of the same error fall into.
 *
 * @example
 * ```ts
 * const issue: Issue = { id: 'CHECKOUT-1', title: 'TypeError: x is undefined', culprit: 'cart.ts in total', level: 'error' };
 * ```
 */
export interface Issue {
  readonly id: string;
  readonly title: string;
  readonly culprit: string;
  readonly level: Level;
}

/**
 * One alert event, the value stored in a digest record.
 *
 * @example
 * ```ts
 * await backend.add(`mail:p:${event.projectId}`, { key: event.id, value: event, timestamp: event.timestamp });
 * ```
 */
export interface AlertEvent {
  /** Unique across the stream; the record key. */
  readonly id: string;
  readonly projectId: number;
  readonly issueId: string;
  readonly title: string;
  readonly culprit: string;
  readonly level: Level;
  readonly message: string;
  /** Milliseconds since the epoch (simulated time). */
  readonly timestamp: number;
}

/**
 * What {@link generateEvents} needs.
 *
 * @example
 * ```ts
 * const options: StreamOptions = { seed: 42, start: Date.UTC(2025, 2, 14, 9), durationMs: 3 * 3_600_000 };
 * ```
 */
export interface StreamOptions {
  readonly seed: number;
  /** Simulated start time (ms since the epoch). */
  readonly start: number;
  /** How much simulated time the stream covers. */
  readonly durationMs: number;
  /** Average events per project per minute outside incidents (default 1). */
  readonly ratePerMinute?: number;
}

/**
 * The projects of the example. One has a non-ASCII name (its subject line is
 * RFC 2047-encoded) and one has issue titles full of markup (the HTML
 * rendering must escape them).
 */
export const PROJECTS: readonly Project[] = [
  { id: 1, slug: 'checkout', name: 'Checkout', team: 'payments' },
  { id: 2, slug: 'search-api', name: 'Search API', team: 'discovery' },
  { id: 3, slug: 'zahlungsdienst', name: 'Zahlungsdienst – Köln', team: 'payments-eu' },
  { id: 4, slug: 'web-frontend', name: 'Web <Frontend>', team: 'web' },
  { id: 5, slug: 'ingest-workers', name: 'Ingest workers', team: 'platform' },
  { id: 6, slug: 'mobile-ios', name: 'Mobile (iOS)', team: 'mobile' },
];

const ISSUE_TEMPLATES: readonly Omit<Issue, 'id'>[] = [
  {
    title: "TypeError: Cannot read properties of undefined (reading 'total')",
    culprit: 'app/cart/totals.ts in computeTotal',
    level: 'error',
  },
  {
    title: 'ConnectionTimeout: upstream did not answer within 5000 ms',
    culprit: 'lib/http/client.ts in request',
    level: 'error',
  },
  {
    title: 'Deadlock detected while updating "orders"',
    culprit: 'db/orders.sql in update_order_status',
    level: 'fatal',
  },
  {
    title: 'Unexpected token \'<\' in JSON at position 0 — got "<html>"',
    culprit: 'app/api/parse.ts in parseBody',
    level: 'error',
  },
  {
    title: 'Slow query: SELECT * FROM events WHERE a < 3 && b > 4 (2.4 s)',
    culprit: 'db/events.ts in listEvents',
    level: 'warning',
  },
  {
    title: 'RateLimitExceeded: 429 from payments provider',
    culprit: 'lib/payments/provider.ts in charge',
    level: 'warning',
  },
  {
    title: 'OutOfMemoryError: heap limit reached in worker',
    culprit: 'workers/ingest.ts in processBatch',
    level: 'fatal',
  },
  {
    title: 'Retrying job after transient failure',
    culprit: 'workers/queue.ts in retry',
    level: 'info',
  },
  {
    title: 'Ungültige Eingabe: Postleitzahl „12 345“ hat falsches Format',
    culprit: 'app/forms/address.ts in validate',
    level: 'warning',
  },
  {
    title: '<script>alert("xss")</script> rendered in error page',
    culprit: 'web/templates/error.tsx in ErrorPage',
    level: 'error',
  },
];

const MESSAGES = [
  'request failed',
  'user saw an error page',
  'job was retried',
  'customer & session affected',
  'background task aborted',
];

/**
 * A small, fast, seeded PRNG (mulberry32) returning floats in [0, 1).
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random(); // always the same first number for seed 42
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The issues of one project: 3–8 of the templates, with Zipf-like weights so
 * the first issue is much noisier than the last.
 *
 * @example
 * ```ts
 * const issues = issuesOf(PROJECTS[0], seededRandom(1)); // [{ issue, weight }, …]
 * ```
 */
export function issuesOf(
  project: Project,
  random: () => number,
): readonly { issue: Issue; weight: number }[] {
  const count = 3 + Math.floor(random() * 6);
  const offset = Math.floor(random() * ISSUE_TEMPLATES.length);
  // Project 4 ("Web <Frontend>") always gets the markup-heavy titles first.
  const start = project.id === 4 ? ISSUE_TEMPLATES.length - 1 : offset;
  return Array.from({ length: count }, (_, rank) => {
    const template = ISSUE_TEMPLATES[(start + rank) % ISSUE_TEMPLATES.length]!;
    const issue = { ...template, id: `${project.slug.toUpperCase()}-${(rank + 1).toString(36)}` };
    return { issue, weight: 1 / (rank + 1) ** 1.3 };
  });
}

/**
 * Generates the stream, ordered by timestamp. Each project sends events at a
 * base rate; once or twice per stream, an incident multiplies a project's
 * rate by 8 for 10–25 minutes, which is exactly when digests help.
 *
 * @example
 * ```ts
 * const events = generateEvents({ seed: 42, start: Date.UTC(2025, 2, 14, 9), durationMs: 3 * 3_600_000 });
 * events.length; // a few thousand
 * ```
 */
export function generateEvents(options: StreamOptions): AlertEvent[] {
  const random = seededRandom(options.seed);
  const rate = options.ratePerMinute ?? 1;
  const minutes = Math.ceil(options.durationMs / 60_000);
  const events: AlertEvent[] = [];
  let sequence = 0;
  for (const project of PROJECTS) {
    const issues = issuesOf(project, random);
    const totalWeight = issues.reduce((sum, { weight }) => sum + weight, 0);
    const projectRate = rate * (0.3 + random() * 1.4);
    const incidents = Array.from({ length: 1 + Math.floor(random() * 2) }, () => {
      const from = Math.floor(random() * minutes);
      return { from, to: from + 10 + Math.floor(random() * 16) };
    });
    for (let minute = 0; minute < minutes; minute++) {
      const burst = incidents.some(({ from, to }) => minute >= from && minute < to);
      const n = poisson(burst ? projectRate * 8 : projectRate, random);
      for (let i = 0; i < n; i++) {
        const timestamp = options.start + minute * 60_000 + Math.floor(random() * 60_000);
        if (timestamp >= options.start + options.durationMs) continue;
        const issue = pick(issues, totalWeight, random);
        sequence++;
        events.push({
          id: `evt-${sequence.toString().padStart(6, '0')}`,
          projectId: project.id,
          issueId: issue.id,
          title: issue.title,
          culprit: issue.culprit,
          level: issue.level,
          message: MESSAGES[Math.floor(random() * MESSAGES.length)]!,
          timestamp,
        });
      }
    }
  }
  return events.sort((a, b) => a.timestamp - b.timestamp || a.id.localeCompare(b.id));
}

function pick(
  issues: readonly { issue: Issue; weight: number }[],
  totalWeight: number,
  random: () => number,
): Issue {
  let target = random() * totalWeight;
  for (const { issue, weight } of issues) {
    target -= weight;
    if (target < 0) return issue;
  }
  return issues[issues.length - 1]!.issue;
}

/** Knuth's method; fine for the small means used here. */
function poisson(mean: number, random: () => number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}
