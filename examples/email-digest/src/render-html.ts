/**
 * The HTML rendering of a digest: the `text/html` part of the email and the
 * `.html` file next to each `.eml`. Every piece of event data is escaped:
 * issue titles are attacker-controlled text.
 *
 * @module
 */
import { type DigestMail, plural, subjectOf } from './digest-mail.js';
import { LEVELS, type Level } from './events.js';
import { formatSpan, formatTime } from './summary.js';

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

/**
 * Renders the digest as a self-contained HTML document (inline styles, as
 * mail clients want).
 *
 * @example
 * ```ts
 * await writeFile('digest.html', renderHtml(mail));
 * ```
 */
export function renderHtml(mail: DigestMail): string {
  const { summary, project } = mail;
  const e = escapeHtml;
  const levels = LEVELS.filter((level) => summary.levels[level] > 0)
    .map((level) => `${summary.levels[level]} ${level}`)
    .join(' · ');
  const rows = summary.issues
    .map(
      (issue) => `      <tr>
        <td style="text-align:right;font-weight:bold;padding:6px 10px">${issue.count}</td>
        <td style="padding:6px 10px"><span style="color:#fff;background:${LEVEL_COLOURS[issue.level]};border-radius:3px;padding:1px 6px;font-size:12px">${e(issue.level)}</span></td>
        <td style="padding:6px 10px"><div style="font-weight:bold">${e(issue.title)}</div><div style="color:#666;font-size:12px">${e(issue.issueId)} · ${e(issue.culprit)}</div></td>
        <td style="padding:6px 10px;white-space:nowrap;color:#666">${e(formatTime(issue.firstSeen))} → ${e(formatTime(issue.lastSeen))}</td>
      </tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${e(subjectOf(mail))}</title>
</head>
<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#222;margin:0;padding:24px">
  <h1 style="font-size:20px;margin:0 0 4px">${e(project.name)}</h1>
  <p style="margin:0 0 16px;color:#666">${e(plural(summary.events, 'event'))} in ${e(plural(summary.issues.length, 'issue'))} · ${e(formatTime(summary.start))} → ${e(formatTime(summary.end))} UTC (${e(formatSpan(summary.spanMs))}) · ${e(levels)}</p>
  <table style="border-collapse:collapse;width:100%">
    <thead>
      <tr style="text-align:left;border-bottom:1px solid #ddd">
        <th style="text-align:right;padding:6px 10px">Events</th><th style="padding:6px 10px">Level</th><th style="padding:6px 10px">Issue</th><th style="padding:6px 10px">Seen</th>
      </tr>
    </thead>
    <tbody>
${rows}
    </tbody>
  </table>
  <p style="margin-top:24px;color:#999;font-size:12px">Team ${e(project.team)} · digest ${e(mail.digestId)} · timeline ${e(mail.key)}</p>
</body>
</html>
`;
}
