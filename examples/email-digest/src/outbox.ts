/**
 * Where delivered digests go: each becomes an `.eml` file (the email a
 * mail server would send) and an `.html` file (to open in a browser).
 *
 * @module
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DigestMail, subjectOf } from './digest-mail.js';
import { buildEml, type EmailMessage } from './eml.js';
import { renderHtml } from './render-html.js';
import { renderText } from './render-text.js';

/**
 * Turns a digest into an email to the project's team.
 *
 * @example
 * ```ts
 * const eml = buildEml(emailOf(mail));
 * ```
 */
export function emailOf(mail: DigestMail): EmailMessage {
  return {
    from: 'Digests <digests@example.com>',
    to: `${mail.project.team}@example.com`,
    subject: subjectOf(mail),
    date: mail.sentAt,
    messageId: `${mail.digestId.replace(/[^A-Za-z0-9.-]/g, '-')}@digests.example`,
    text: renderText(mail),
    html: renderHtml(mail),
    headers: { 'X-Digests-Key': mail.key, 'X-Digests-Digest-Id': mail.digestId },
  };
}

/**
 * Writes digests into one folder as `<n>-<project>.eml` and `.html`.
 *
 * @example
 * ```ts
 * const outbox = await Outbox.open('out/mail');
 * const { eml } = await outbox.write(mail);
 * ```
 */
export class Outbox {
  readonly #dir: string;
  #count = 0;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  /** Empties (or creates) `dir`, so a run's folder holds only that run's mail. */
  static async open(dir: string): Promise<Outbox> {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return new Outbox(dir);
  }

  /** How many digests were written. */
  get count(): number {
    return this.#count;
  }

  /** Writes one digest; resolves the two paths. */
  async write(mail: DigestMail): Promise<{ eml: string; html: string }> {
    this.#count++;
    const base = join(this.#dir, `${String(this.#count).padStart(4, '0')}-${mail.project.slug}`);
    const email = emailOf(mail);
    const paths = { eml: `${base}.eml`, html: `${base}.html` };
    await writeFile(paths.eml, buildEml(email));
    await writeFile(paths.html, email.html);
    return paths;
  }
}
