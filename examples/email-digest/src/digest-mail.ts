/**
 * The one value every renderer works from: a project's summarised digest and
 * where it came from.
 *
 * @module
 */
import type { Project } from './events.js';
import { type DigestSummary, formatTime } from './summary.js';

/**
 * A digest ready to be rendered and sent.
 *
 * @example
 * ```ts
 * const mail: DigestMail = { project, summary: summarize(records), digestId, key, sentAt: clock.now() };
 * ```
 */
export interface DigestMail {
  readonly project: Project;
  readonly summary: DigestSummary;
  /** The worker's id for this digest; also names the output files. */
  readonly digestId: string;
  /** The timeline key, `mail:p:<projectId>`. */
  readonly key: string;
  /** When the digest was delivered (simulated time). */
  readonly sentAt: number;
}

/**
 * The subject line: project, counts and the window, like Sentry's digest mail.
 *
 * @example
 * ```ts
 * subjectOf(mail); // '[Checkout] 42 events in 5 issues, 09:00–09:14 UTC'
 * ```
 */
export function subjectOf(mail: DigestMail): string {
  const { summary } = mail;
  const events = plural(summary.events, 'event');
  const issues = plural(summary.issues.length, 'issue');
  const window = `${formatTime(summary.start).slice(0, 5)}–${formatTime(summary.end).slice(0, 5)} UTC`;
  return `[${mail.project.name}] ${events} in ${issues}, ${window}`;
}

/**
 * `1 event`, `2 events`.
 *
 * @example
 * ```ts
 * plural(3, 'issue'); // '3 issues'
 * ```
 */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
