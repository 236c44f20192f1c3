/**
 * The HTML rendering of a digest: the `text/html` part of the email and the
 * `.html` file next to each `.eml`. Every piece of event data is escaped:
 * issue titles are attacker-controlled text.
 *
 * @module
 */
import { type DigestMail, periodOf, plural, reasonOf, subjectOf } from './digest-mail.js';
import { LEVELS, type Level } from './events.js';
import { formatTime } from './summary.js';

const LEVEL_COLOURS: Readonly<Record<Level, string>> = {
  fatal: '#a4161a',
  error: '#e5484d',
  warning: '#f5a524',
  info: '#3e63dd',
};

/**
 * Escapes text for HTML element content and double- or single-quoted attributes.
 *
 * @example
 * ```ts
 * escapeHtml('<b class="x">&\'</b>'); // '&lt;b class=&quot;x&quot;&gt;&amp;&#39;&lt;/b&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The widest the mail gets; narrower screens get the full width. */
const MAX_WIDTH = 640;

/**
 * Renders the digest as a self-contained HTML document (inline styles, as
 * mail clients want): one column of at most 640 px, centred; long titles
 * wrap and the "Seen" column stacks its two times, so it fits a 400 px
 * phone screen. Each issue links to its page; the footer says why the mail
 * came and links to the settings and to unsubscribe. Internal ids stay in
 * the headers, out of the body.
 *
 * @example
 * ```ts
 * await writeFile('digest.html', renderHtml(mail));
 * ```
 */
export function renderHtml(mail: DigestMail): string {
  const { summary, project, links } = mail;
  const e = escapeHtml;
  const levels = LEVELS.filter((level) => summary.levels[level] > 0)
    .map((level) => `${summary.levels[level]} ${level}`)
    .join(' · ');
  const cell = 'padding:6px 8px;vertical-align:top';
  const rows = summary.issues
    .map(
      (issue) => `        <tr>
          <td style="${cell};text-align:right;font-weight:bold">${issue.count}</td>
          <td style="${cell}"><span style="color:#fff;background:${LEVEL_COLOURS[issue.level]};border-radius:3px;padding:1px 6px;font-size:12px">${e(issue.level)}</span></td>
          <td style="${cell};word-break:break-word;overflow-wrap:anywhere"><a href="${e(links.issue(issue.issueId))}" style="font-weight:bold;color:#222">${e(issue.title)}</a><div style="color:#666;font-size:12px">${e(issue.culprit)}</div></td>
          <td style="${cell};color:#666;font-size:12px;white-space:nowrap">${e(formatTime(issue.firstSeen))}<br>→ ${e(formatTime(issue.lastSeen))}</td>
        </tr>`,
    )
    .join('\n');
  const schedule =
    mail.schedule === undefined
      ? ''
      : `\n    <p style="margin:0 0 16px;color:#666">Delivered ${e(mail.schedule)}</p>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${e(subjectOf(mail))}</title>
</head>
<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#222;margin:0;padding:16px 8px">
  <div style="max-width:${MAX_WIDTH}px;margin:0 auto">
    <h1 style="font-size:20px;margin:0 0 4px">${e(project.name)}</h1>
    <p style="margin:0 0 ${mail.schedule === undefined ? 16 : 4}px;color:#666">${e(plural(summary.events, 'event'))} in ${e(plural(summary.issues.length, 'issue'))} · ${e(periodOf(summary))} · ${e(levels)}</p>${schedule}
    <table style="border-collapse:collapse;width:100%;table-layout:auto">
      <thead>
        <tr style="text-align:left;border-bottom:1px solid #ddd">
          <th style="padding:6px 8px;text-align:right">Events</th><th style="padding:6px 8px">Level</th><th style="padding:6px 8px">Issue</th><th style="padding:6px 8px">Seen</th>
        </tr>
      </thead>
      <tbody>
${rows}
      </tbody>
    </table>
    <p style="margin-top:24px;color:#999;font-size:12px">${e(reasonOf(mail))}<br><a href="${e(links.settings)}" style="color:#999">Notification settings</a> · <a href="${e(links.unsubscribe)}" style="color:#999">Unsubscribe</a></p>
  </div>
</body>
</html>
`;
}
