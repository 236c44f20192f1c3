import type { DigestMail } from '../src/digest-mail.js';
import type { AlertEvent } from '../src/events.js';
import { summarize } from '../src/summary.js';

export const T0 = Date.UTC(2025, 2, 14, 9, 0, 0);

/** A digest whose data is hostile: markup in every field, non-ASCII in the name. */
export function hostileMail(): DigestMail {
  const events: AlertEvent[] = [0, 1, 2].map((i) => ({
    id: `e${i}`,
    projectId: 7,
    issueId: `<ISSUE-"${i % 2}">`,
    title: `<script>alert('x${i % 2}')</script> & "quotes"`,
    culprit: '<img src=x onerror=alert(1)>',
    level: 'error',
    message: 'm',
    timestamp: T0 + i * 60_000,
  }));
  return {
    project: { id: 7, slug: 'koeln', name: 'Zahlungsdienst – Köln <b>', team: 'pay<ments>' },
    summary: summarize(
      events.map((value) => ({ key: value.id, value, timestamp: value.timestamp })),
    ),
    digestId: 'd-<1>',
    key: 'mail:p:7',
    sentAt: T0 + 5 * 60_000,
    links: {
      issue: (issueId) => `https://errors.example.com/koeln/issues/${encodeURIComponent(issueId)}`,
      settings: 'https://errors.example.com/settings/teams/pay%3Cments%3E/notifications',
      unsubscribe: 'https://errors.example.com/unsubscribe?team=pay%3Cments%3E&project=koeln&x="y"',
    },
  };
}
