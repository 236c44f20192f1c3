/**
 * The one value every renderer works from: a project's summarised digest and
 * where it came from.
 *
 * @module
 */
import type { Project } from './events.js';
import { type DigestSummary, formatSpan, formatTime } from './summary.js';

/**
 * The links one mail carries, filled in from `mail.config.json`.
 *
 * @example
 * ```ts
 * const links: MailLinks = {
 *   issue: (issueId) => `https://errors.example.com/checkout/issues/${issueId}`,
 *   settings: 'https://errors.example.com/settings/teams/payments/notifications',
 *   unsubscribe: 'https://errors.example.com/unsubscribe?team=payments&project=checkout',
 * };
 * ```
 */
export interface MailLinks {
  issue(issueId: string): string;
  readonly settings: string;
  readonly unsubscribe: string;
}

/**
 * A digest ready to be rendered and sent.
 *
 * @example
 * ```ts
 * const mail: DigestMail = { project, summary: summarize(records), digestId, key, sentAt: clock.now(), links };
 * ```
 */
export interface DigestMail {
  readonly project: Project;
  readonly summary: DigestSummary;
  /** The worker's id for this digest: the Message-ID, never shown in the body. */
  readonly digestId: string;
  /** The timeline key, `mail:p:<projectId>` (a header, never shown in the body). */
  readonly key: string;
  /** When the digest was delivered (simulated time). */
  readonly sentAt: number;
  readonly links: MailLinks;
  /** The team's calendar window, e.g. `weekdays 09:00 Europe/Berlin`; absent for backoff delivery. */
  readonly schedule?: string;
}

/** Longest issue title a single-event subject shows before cutting it with `…`. */
const SUBJECT_TITLE = 60;

/**
 * The subject line, like Sentry's mails: a single event names its issue
 * (`[Checkout] error: TypeError: …`); a digest gives counts and the window,
 * one time when the whole window falls in one minute.
 *
 * @example
 * ```ts
 * subjectOf(mail); // '[Checkout] 42 events in 5 issues, 09:00–09:14 UTC'
 * ```
 */
export function subjectOf(mail: DigestMail): string {
  const { summary } = mail;
  const [only] = summary.issues;
  if (summary.events === 1 && only !== undefined) {
    const title =
      only.title.length > SUBJECT_TITLE ? `${only.title.slice(0, SUBJECT_TITLE - 1)}…` : only.title;
    return `[${mail.project.name}] ${only.level}: ${title}`;
  }
  const events = plural(summary.events, 'event');
  const issues = plural(summary.issues.length, 'issue');
  return `[${mail.project.name}] ${events} in ${issues}, ${windowOf(summary)}`;
}

/**
 * `09:00–09:14 UTC`, or `09:00 UTC` when the window is within one minute.
 *
 * @example
 * ```ts
 * windowOf(summary); // '09:00–09:14 UTC'
 * ```
 */
export function windowOf(summary: DigestSummary): string {
  const [start, end] = [formatTime(summary.start).slice(0, 5), formatTime(summary.end).slice(0, 5)];
  return start === end ? `${start} UTC` : `${start}–${end} UTC`;
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

/**
 * When the digest's events happened: `09:00:12 → 09:14:55 UTC (14m 43s)`,
 * or one time for a single moment.
 *
 * @example
 * ```ts
 * periodOf(summary); // '09:00:12 UTC' for a single event
 * ```
 */
export function periodOf(summary: DigestSummary): string {
  if (summary.spanMs === 0) return `${formatTime(summary.start)} UTC`;
  return `${formatTime(summary.start)} → ${formatTime(summary.end)} UTC (${formatSpan(summary.spanMs)})`;
}

/**
 * Why the recipient gets this mail, for the footer: team, project and, for
 * a calendar team, its window.
 *
 * @example
 * ```ts
 * reasonOf(mail); // 'You get this digest because team payments follows Checkout.'
 * ```
 */
export function reasonOf(mail: DigestMail): string {
  const when = mail.schedule === undefined ? '' : `, delivered ${mail.schedule}`;
  return `You get this digest because team ${mail.project.team} follows ${mail.project.name}${when}.`;
}
