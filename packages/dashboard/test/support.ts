/**
 * What the dashboard's tests share: the backends they run over, a codec
 * that refuses marked values (so a digest quarantines them), seeding, and
 * a small HTTP client that keeps cookies like a browser.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Backend,
  type BackendOptions,
  type Codec,
  CodecError,
  type EncodedValue,
  encodedText,
} from '@digests/core';
import { MemoryBackend } from '@digests/memory';
import { SqliteBackend } from '@digests/sqlite';
import type { PeekedRecord, PeekSource } from '../src/index.js';

/** A backend to run the dashboard over, and how to clean up after it. */
export interface Target {
  readonly name: string;
  create(options: BackendOptions<unknown>): { backend: Backend<unknown>; cleanup(): Promise<void> };
}

/** Every backend the dashboard's tests run over. */
export const TARGETS: readonly Target[] = [
  {
    name: 'memory',
    create: (options) => {
      const backend = new MemoryBackend<unknown>(options);
      return { backend, cleanup: () => backend.close() };
    },
  },
  {
    name: 'sqlite',
    create: (options) => sqliteFile(options),
  },
];

/** A SqliteBackend on a fresh file in a temp folder. */
export function sqliteFile(options: BackendOptions<unknown>): {
  backend: Backend<unknown>;
  filename: string;
  cleanup(): Promise<void>;
} {
  const folder = mkdtempSync(join(tmpdir(), 'digests-dashboard-'));
  const filename = join(folder, 'digests.db');
  const backend = new SqliteBackend<unknown>({ ...options, filename });
  return {
    backend,
    filename,
    cleanup: async () => {
      await backend.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** The value the picky codec refuses to decode. */
export const UNDECODABLE = { undecodable: '\u0000binary\u00ff<b>x</b>' };

/**
 * JSON, except that a stored value holding the marker `"undecodable"`
 * cannot be read back: a digest quarantines it, as it would a corrupt value.
 */
export const pickyCodec: Codec<unknown> = {
  name: 'picky-json',
  encode: (value) => JSON.stringify(value),
  decode: (data: EncodedValue) => {
    const text = encodedText(data);
    if (text.includes('"undecodable"')) throw new CodecError('picky-json refuses marked values');
    return JSON.parse(text) as unknown;
  },
};

/** A clock the test moves. */
export function testClock(start = Date.UTC(2026, 0, 15, 9, 0, 0)): {
  now: number;
  clock: () => number;
} {
  const state = {
    now: start,
    clock: () => state.now,
  };
  return state;
}

/**
 * Puts `count` keys in the waiting state (`prefix` + index, due one minute
 * apart from `start`) without any digest.
 */
export async function seedWaiting(
  backend: Backend<unknown>,
  count: number,
  prefix: string,
  now: number,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const key = `${prefix}${String(i).padStart(5, '0')}`;
    await backend.add(
      key,
      { key: 'r1', value: { n: i }, timestamp: now },
      { dueAt: now + (i + 1) * 60_000 },
    );
  }
}

/**
 * A key that holds one quarantined value: its first add makes it ready, a
 * digest delivers the decodable record and sets the marked one aside.
 */
export async function seedQuarantined(
  backend: Backend<unknown>,
  key: string,
  now: number,
): Promise<void> {
  await backend.add(key, { key: 'good', value: { text: 'fine' }, timestamp: now - 2000 });
  await backend.add(key, { key: 'poison', value: UNDECODABLE, timestamp: now - 1000 });
  await backend.digest(key, () => undefined);
  // One more record so the key is listed (waiting) after the digest.
  await backend.add(key, { key: 'later', value: { text: 'after' }, timestamp: now });
}

/** A response, read. */
export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly location: string | null;
  readonly headers: Headers;
}

/** An HTTP client that keeps cookies and reads the CSRF token of the last page. */
export class Browserish {
  readonly #base: string;
  readonly #cookies = new Map<string, string>();
  #csrf: string | undefined;

  constructor(base: string) {
    this.#base = base.replace(/\/$/, '');
  }

  get csrf(): string | undefined {
    return this.#csrf;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.#send(path, { method: 'GET', headers });
  }

  async post(
    path: string,
    fields: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      for (const one of typeof value === 'string' ? [value] : value) body.append(name, one);
    }
    return this.#send(path, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }

  async #send(
    path: string,
    init: RequestInit & { headers: Record<string, string> },
  ): Promise<Reply> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${this.#base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(cookie === '' ? {} : { cookie }), ...init.headers },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.#cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const body = await response.text();
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(body)?.[1];
    if (csrf !== undefined) this.#csrf = csrf;
    return {
      status: response.status,
      body,
      location: response.headers.get('location'),
      headers: response.headers,
    };
  }
}

/**
 * `backend` with a `peek` that pages through `records(key)` (newest first,
 * as a store would return them), for pages that must show records no real
 * store would hold (100 000 of them, hand-made raw values).
 */
export function withPeek(
  backend: Backend<unknown>,
  records: (key: string) => readonly PeekedRecord[],
): Backend<unknown> & PeekSource {
  const peek: PeekSource['peek'] = async (key, options) => {
    const { after, limit = 50 } = options ?? {};
    const all = records(key);
    const from = after === undefined ? 0 : Number(after);
    const page = all.slice(from, from + limit);
    return {
      records: page,
      ...(from + limit < all.length ? { next: String(from + limit) } : {}),
    };
  };
  return new Proxy(backend, {
    get: (target, name) => {
      if (name === 'peek') return peek;
      // The backend's own private fields need the backend itself as `this`.
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Backend<unknown> & PeekSource;
}
