import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml } from '../src/render-html.js';
import { hostileMail } from './fixtures.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and attributes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });

  it('leaves other text alone', () => {
    expect(escapeHtml('Köln – 12 345')).toBe('Köln – 12 345');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(hostileMail());

  it('never lets event or project data through as markup', () => {
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<ISSUE');
    expect(html).not.toContain('pay<ments>');
    expect(html).toContain(
      '&lt;script&gt;alert(&#39;x0&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;',
    );
    expect(html).toContain('Zahlungsdienst – Köln &lt;b&gt;');
  });

  it('has one row per issue, the noisiest first', () => {
    const rows = html.match(/<tr>/g) ?? [];
    expect(rows).toHaveLength(2);
    expect(html.indexOf('x0')).toBeLessThan(html.indexOf('x1'));
  });

  it('links each issue and the settings and unsubscribe pages, escaped', () => {
    expect(html).toContain('href="https://errors.example.com/koeln/issues/%3CISSUE-%220%22%3E"');
    expect(html).toContain(
      '<a href="https://errors.example.com/settings/teams/pay%3Cments%3E/notifications" style="color:#999">Notification settings</a>',
    );
    expect(html).toContain('project=koeln&amp;x=&quot;y&quot;" style="color:#999">Unsubscribe</a>');
  });

  it('keeps internal ids out of the body: no digest id, no timeline key', () => {
    const body = html.slice(html.indexOf('<body'));
    expect(body).not.toContain('d-&lt;1&gt;');
    expect(body).not.toContain('mail:p:7');
    expect(body).toContain('You get this digest because team pay&lt;ments&gt; follows');
  });

  it('fits a narrow screen: one column of at most 640 px, wrapping titles, stacked times', () => {
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/<div style="max-width:640px;margin:0 auto">/);
    expect(html).toContain('overflow-wrap:anywhere');
    // "Seen" holds two short lines instead of one 22-character line.
    expect(html).toMatch(/09:00:00<br>→ 09:02:00/);
    expect(html).not.toMatch(/\d\d:\d\d:\d\d → \d\d:\d\d:\d\d<\/td>/);
  });

  it('is a complete UTF-8 document', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });
});
