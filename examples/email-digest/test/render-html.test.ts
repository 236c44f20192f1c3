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

  it('is a complete UTF-8 document', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });
});
