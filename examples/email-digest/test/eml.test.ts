import { describe, expect, it } from 'vitest';
import { buildEml, encodeHeaderValue, formatDate, quotedPrintable } from '../src/eml.js';
import { emailOf } from '../src/outbox.js';
import { renderText } from '../src/render-text.js';
import { hostileMail, T0 } from './fixtures.js';

/** Decodes RFC 2047 B encoded-words (folded onto several lines) back to text. */
function decodeHeader(value: string): string {
  return value
    .replace(/\r\n /g, '')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/g, (_, b64: string) => `\u0000${b64}\u0000`)
    .split('\u0000')
    .map((part, i) => (i % 2 === 1 ? Buffer.from(part, 'base64') : Buffer.from(part, 'utf8')))
    .reduce((text, bytes) => text + bytes.toString('utf8'), '');
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function parse(eml: string) {
  const [head = '', ...rest] = eml.split('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of head.split(/\r\n(?! )/)) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 2));
  }
  return { headers, body: rest.join('\r\n\r\n') };
}

describe('buildEml', () => {
  const mail = hostileMail();
  const eml = buildEml(emailOf(mail));
  const { headers, body } = parse(eml);

  it('uses CRLF line endings only, and no line over 76 characters', () => {
    expect(eml.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of eml.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
  });

  it('has the RFC 5322 and MIME headers', () => {
    expect(headers.get('from')).toBe('Digests <digests@example.com>');
    expect(headers.get('to')).toBe('pay<ments>@example.com');
    expect(headers.get('date')).toBe('Fri, 14 Mar 2025 09:05:00 +0000');
    expect(headers.get('message-id')).toMatch(/^<[A-Za-z0-9.-]+@digests\.example>$/);
    expect(headers.get('mime-version')).toBe('1.0');
    expect(headers.get('x-digests-key')).toBe('mail:p:7');
    expect(headers.get('content-type')).toMatch(/^multipart\/alternative;\r\n boundary="([^"]+)"$/);
  });

  it('encodes a non-ASCII subject as RFC 2047 encoded-words that decode back', () => {
    const subject = headers.get('subject')!;
    expect(subject).toMatch(/^[\x20-\x7e\r\n]+$/);
    expect(subject.startsWith('=?UTF-8?B?')).toBe(true);
    expect(decodeHeader(subject)).toBe(
      '[Zahlungsdienst – Köln <b>] 3 events in 2 issues, 09:00–09:02 UTC',
    );
  });

  it('holds a text and an HTML part, in that order, that decode to the renderings', () => {
    const boundary = /boundary="([^"]+)"/.exec(headers.get('content-type')!)![1]!;
    const parts = body.split(`--${boundary}`);
    expect(parts).toHaveLength(4); // preamble, text, html, "--" epilogue
    expect(parts[3]).toBe('--\r\n');
    const [textPart, htmlPart] = [parts[1]!, parts[2]!].map((part) =>
      parse(part.replace(/^\r\n/, '')),
    );
    expect(textPart!.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(textPart!.headers.get('content-transfer-encoding')).toBe('quoted-printable');
    expect(htmlPart!.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = decodeQuotedPrintable(textPart!.body.replace(/\r\n$/, ''));
    expect(text.replace(/\r\n/g, '\n')).toBe(renderText(mail));
    const html = decodeQuotedPrintable(htmlPart!.body.replace(/\r\n$/, ''));
    expect(html).toContain('Zahlungsdienst – Köln &lt;b&gt;');
  });

  it('keeps line breaks in header values from injecting headers', () => {
    const injected = buildEml({ ...emailOf(mail), subject: 'hi\r\nBcc: victim@example.com' });
    expect(injected).not.toMatch(/\r\nBcc:/);
  });
});

describe('encodeHeaderValue', () => {
  it('leaves printable ASCII alone', () => {
    expect(encodeHeaderValue('[Checkout] 3 events')).toBe('[Checkout] 3 events');
  });

  it('folds long values into encoded-words on lines of at most 76 characters, never splitting a character', () => {
    const value = 'Größenänderung '.repeat(10);
    const encoded = encodeHeaderValue(value, 'Subject: '.length);
    expect(`Subject: ${encoded.split('\r\n')[0]}`.length).toBeLessThanOrEqual(76);
    for (const word of encoded.split('\r\n ')) {
      expect(word.length).toBeLessThanOrEqual(75);
      expect(Buffer.from(word.slice(10, -2), 'base64').toString('utf8')).not.toContain('\uFFFD');
    }
    expect(decodeHeader(encoded)).toBe(value);
  });
});

describe('quotedPrintable', () => {
  it('encodes =, non-ASCII and trailing spaces, and wraps at 76 characters', () => {
    expect(quotedPrintable('a=b café ')).toBe('a=3Db caf=C3=A9=20');
    const long = quotedPrintable('x'.repeat(200));
    for (const line of long.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(decodeQuotedPrintable(long)).toBe('x'.repeat(200));
  });
});

describe('formatDate', () => {
  it('writes an RFC 5322 date in UTC', () => {
    expect(formatDate(T0)).toBe('Fri, 14 Mar 2025 09:00:00 +0000');
  });
});
