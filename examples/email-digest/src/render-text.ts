/**
 * The plain-text rendering of a digest: the `text/plain` part of the email
 * and what the example prints.
 *
 * @module
 */
import { type DigestMail, periodOf, plural, reasonOf, subjectOf } from './digest-mail.js';
import { LEVELS } from './events.js';
import { formatTime } from './summary.js';

/**
 * Options of {@link renderText}.
 *
 * @example
 * ```ts
 * renderText(mail, { maxIssues: 3 }); // the console's short form
 * ```
 */
export interface TextOptions {
  /** Show at most this many issues, then "…and N more". Default: all. */
  readonly maxIssues?: number;
}

/**
 * Renders the digest as plain text, one issue per line, noisiest first.
 *
 * @example
 * ```ts
 * console.log(renderText(mail));
 * // [Checkout] 42 events in 5 issues, 09:00–09:14 UTC
 * // 09:00:12 → 09:14:55 UTC (14m 43s) · 30 error · 12 warning
 * //    18×  error    TypeError: Cannot read properties of undefined (reading 'total')
 * //                  app/cart/totals.ts in computeTotal · 09:00:12 → 09:14:50
 * ```
 */
export function renderText(mail: DigestMail, options: TextOptions = {}): string {
  const { summary } = mail;
  const levels = LEVELS.filter((level) => summary.levels[level] > 0)
    .map((level) => `${summary.levels[level]} ${level}`)
    .join(' · ');
  const lines = [subjectOf(mail), `${periodOf(summary)} · ${levels}`, ''];
  const shown = summary.issues.slice(0, options.maxIssues ?? summary.issues.length);
  const width = String(summary.issues[0]?.count ?? 0).length;
  for (const issue of shown) {
    lines.push(
      `  ${String(issue.count).padStart(width)}×  ${issue.level.padEnd(7)}  ${issue.title}`,
      `  ${' '.repeat(width)}   ${' '.repeat(7)}  ${issue.culprit} · ${formatTime(issue.firstSeen)} → ${formatTime(issue.lastSeen)}`,
      `  ${' '.repeat(width)}   ${' '.repeat(7)}  ${mail.links.issue(issue.issueId)}`,
    );
  }
  const hidden = summary.issues.length - shown.length;
  if (hidden > 0) lines.push(`  …and ${plural(hidden, 'more issue')}`);
  lines.push(
    '',
    '-- ',
    reasonOf(mail),
    `Notification settings: ${mail.links.settings}`,
    `Unsubscribe: ${mail.links.unsubscribe}`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The console's form: the subject line, then the noisiest issues, one line
 * each, titles cut to fit a terminal.
 *
 * @example
 * ```ts
 * console.log(renderBrief(mail, 2));
 * // [Checkout] 42 events in 5 issues, 09:00–09:14 UTC
 * //     18× error    TypeError: Cannot read properties of undefined (reading 'total')
 * //      9× warning  Slow query: SELECT * FROM events WHERE a < 3 && b > 4 (2.4 s)
 * //     …and 3 more issues
 * ```
 */
export function renderBrief(mail: DigestMail, maxIssues = 2): string {
  const { issues } = mail.summary;
  const lines = [subjectOf(mail)];
  for (const issue of issues.slice(0, maxIssues)) {
    const title = issue.title.length > 72 ? `${issue.title.slice(0, 71)}…` : issue.title;
    lines.push(`    ${String(issue.count).padStart(3)}× ${issue.level.padEnd(7)}  ${title}`);
  }
  if (issues.length > maxIssues)
    lines.push(`         …and ${plural(issues.length - maxIssues, 'more issue')}`);
  return lines.join('\n');
}
