import { describe, expect, it } from 'vitest';
import { type DigestMail, periodOf, subjectOf } from '../src/digest-mail.js';
import type { AlertEvent } from '../src/events.js';
import { renderText } from '../src/render-text.js';
import { summarize } from '../src/summary.js';
import { hostileMail, T0 } from './fixtures.js';

function mailOf(offsets: readonly number[], title = 'TypeError: x is undefined'): DigestMail {
  const events: AlertEvent[] = offsets.map((offset, i) => ({
    id: `e${i}`,
    projectId: 1,
    issueId: 'CHECKOUT-1',
    title,
    culprit: 'cart.ts in total',
    level: 'error',
    message: 'm',
    timestamp: T0 + offset,
  }));
  return {
    ...hostileMail(),
    project: { id: 1, slug: 'checkout', name: 'Checkout', team: 'payments' },
    summary: summarize(
      events.map((value) => ({ key: value.id, value, timestamp: value.timestamp })),
    ),
  };
}

describe('subjectOf', () => {
  it('names the issue of a single-event mail, never a "09:00–09:00 (0s)" window', () => {
    expect(subjectOf(mailOf([0]))).toBe('[Checkout] error: TypeError: x is undefined');
    const long = subjectOf(mailOf([0], `Error: ${'x'.repeat(100)}`));
    expect(long).toHaveLength('[Checkout] error: '.length + 60);
    expect(long.endsWith('…')).toBe(true);
  });

  it('gives counts and the window for a digest; one time when it fits in a minute', () => {
    expect(subjectOf(mailOf([0, 14 * 60_000]))).toBe(
      '[Checkout] 2 events in 1 issue, 09:00–09:14 UTC',
    );
    expect(subjectOf(mailOf([0, 20_000]))).toBe('[Checkout] 2 events in 1 issue, 09:00 UTC');
  });
});

describe('periodOf and the text part', () => {
  it('a single moment is one time, without "(0s)"', () => {
    expect(periodOf(mailOf([0]).summary)).toBe('09:00:00 UTC');
    expect(periodOf(mailOf([0, 90_000]).summary)).toBe('09:00:00 → 09:01:30 UTC (1m 30s)');
  });

  it('the text part carries the links and no internal ids', () => {
    const text = renderText(hostileMail());
    expect(text).toContain('https://errors.example.com/koeln/issues/%3CISSUE-%220%22%3E');
    expect(text).toContain('Notification settings: https://errors.example.com/settings/');
    expect(text).toContain('Unsubscribe: https://errors.example.com/unsubscribe?');
    expect(text).not.toContain('d-<1>');
    expect(text).not.toContain('mail:p:7');
  });
});
