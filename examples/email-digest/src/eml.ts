/**
 * A minimal RFC 5322 / MIME message writer: headers (non-ASCII ones as
 * RFC 2047 encoded-words), a `multipart/alternative` body with a text and an
 * HTML part (quoted-printable, UTF-8), CRLF line endings throughout. Enough
 * for any mail client to open the `.eml` files the example writes.
 *
 * @module
 */

const CRLF = '\r\n';

/**
 * What {@link buildEml} writes.
 *
 * @example
 * ```ts
 * const message: EmailMessage = {
 *   from: 'Digests <digests@example.com>', to: 'team@example.com',
 *   subject: '[Köln] 3 events', date: Date.now(), messageId: 'd1@digests.example',
 *   text: 'hello', html: '<p>hello</p>',
 * };
 * ```
 */
export interface EmailMessage {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  /** Milliseconds since the epoch. */
  readonly date: number;
  /** Without the angle brackets: `left@right`. */
  readonly messageId: string;
  readonly text: string;
  readonly html: string;
  /** Extra headers (`X-…`), written after the standard ones. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Writes the whole message, CRLF line endings, ready to save as `.eml`.
 *
 * @example
 * ```ts
 * await writeFile('digest.eml', buildEml(message));
 * ```
 */
export function buildEml(message: EmailMessage): string {
  const boundary = `=_digests_${message.messageId.replace(/[^A-Za-z0-9]/g, '_')}`;
  const headers: [string, string][] = [
    ['From', message.from],
    ['To', message.to],
    ['Subject', message.subject],
    ['Date', formatDate(message.date)],
    ['Message-ID', `<${message.messageId}>`],
    ['MIME-Version', '1.0'],
    ...Object.entries(message.headers ?? {}),
  ];
  const lines = headers.map(([name, value]) => header(name, value));
  lines.push(
    // "=_" can never occur in quoted-printable output, so the boundary is safe.
    `Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"`,
    '',
    'This is a multi-part message in MIME format.',
    '',
    `--${boundary}`,
    ...part('text/plain', message.text),
    `--${boundary}`,
    ...part('text/html', message.html),
    `--${boundary}--`,
    '',
  );
  return lines.join(CRLF);
}

function part(type: string, body: string): string[] {
  return [
    `Content-Type: ${type}; charset=utf-8`,
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(body),
  ];
}

/**
 * One header line: the value encoded with {@link encodeHeaderValue}, line
 * breaks in the value replaced by spaces so nothing can inject a header.
 *
 * @example
 * ```ts
 * header('Subject', 'Grüße'); // 'Subject: =?UTF-8?B?R3LDvMOfZQ==?='
 * ```
 */
export function header(name: string, value: string): string {
  return `${name}: ${encodeHeaderValue(value.replace(/[\r\n]+/g, ' '), name.length + 2)}`;
}

/**
 * Leaves printable ASCII as it is; otherwise writes RFC 2047 `B` encoded-words
 * folded onto continuation lines so no line exceeds 76 characters, never
 * splitting a character. `offset` is how much of the first line the header
 * name already takes.
 *
 * @example
 * ```ts
 * encodeHeaderValue('plain'); // 'plain'
 * encodeHeaderValue('Köln');  // '=?UTF-8?B?S8O2bG4=?='
 * ```
 */
export function encodeHeaderValue(value: string, offset = 0): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  // Each word costs 12 characters ("=?UTF-8?B?" … "?=") plus 4 per 3 bytes.
  const bytesFor = (used: number) => Math.floor((76 - used - 12) / 4) * 3;
  const words: string[] = [];
  let limit = bytesFor(offset);
  let chunk = '';
  for (const char of value) {
    if (Buffer.byteLength(chunk + char) > limit) {
      words.push(chunk);
      chunk = '';
      limit = bytesFor(1); // continuation lines start with one space
    }
    chunk += char;
  }
  words.push(chunk);
  return words
    .map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`)
    .join(`${CRLF} `);
}

/**
 * Quoted-printable (RFC 2045 §6.7) over UTF-8: lines of at most 76
 * characters, soft breaks as `=`, `=` and non-ASCII as `=XX`, trailing
 * spaces encoded; input line breaks become CRLF.
 *
 * @example
 * ```ts
 * quotedPrintable('a=b café'); // 'a=3Db caf=C3=A9'
 * ```
 */
export function quotedPrintable(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const tokens = [...Buffer.from(line, 'utf8')].map((byte) =>
        (byte >= 33 && byte <= 126 && byte !== 61) || byte === 32 || byte === 9
          ? String.fromCharCode(byte)
          : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`,
      );
      const last = tokens.length - 1;
      if (tokens[last] === ' ' || tokens[last] === '\t') {
        tokens[last] = `=${tokens[last] === ' ' ? '20' : '09'}`;
      }
      const out: string[] = [];
      let current = '';
      for (const token of tokens) {
        // 75 characters plus the soft-break "=" stay within 76.
        if (current.length + token.length > 75) {
          out.push(`${current}=`);
          current = '';
        }
        current += token;
      }
      out.push(current);
      return out.join(CRLF);
    })
    .join(CRLF);
}

/**
 * An RFC 5322 date in UTC: `Fri, 14 Mar 2025 09:30:00 +0000`.
 *
 * @example
 * ```ts
 * formatDate(Date.UTC(2025, 2, 14, 9, 30)); // 'Fri, 14 Mar 2025 09:30:00 +0000'
 * ```
 */
export function formatDate(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}
