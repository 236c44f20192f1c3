import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { zeroCounters } from '@digests/core';
import { MemoryBackend } from '@digests/memory';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDashboardHandler,
  type DashboardOptions,
  html,
  type PeekedRecord,
  startDashboard,
  toHtml,
} from '../src/index.js';
import { rawView, valueView } from '../src/value-view.js';
import { Browserish, seedWaiting, testClock, withPeek } from './support.js';

const servers: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A plain server mounting the handler, optionally under Express-style `baseUrl`. */
async function serve(options: DashboardOptions, expressMount?: string): Promise<Browserish> {
  const handler = createDashboardHandler(options);
  const server: Server = createServer((req, res) => {
    if (expressMount !== undefined) {
      // What Express does for app.use(mount, handler): strip the mount, keep it in baseUrl.
      if (!req.url?.startsWith(expressMount)) {
        res.statusCode = 418;
        res.end();
        return;
      }
      (req as { baseUrl?: string }).baseUrl = expressMount;
      req.url = req.url.slice(expressMount.length) || '/';
    }
    void handler(req, res, () => {
      res.statusCode = 404;
      res.end('next');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  return new Browserish(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

describe('values on a page', () => {
  it('a decoded value is collapsed JSON, escaped, cut at the limit', () => {
    const text = toHtml(
      valueView({ html: '<img src=x onerror=alert(1)>', long: 'x'.repeat(500) }, 100),
    );
    expect(text).toContain('<details class="value">');
    expect(text).not.toContain('<img');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(text).toMatch(/more characters not shown/);
    expect(text.length).toBeLessThan(1000);
  });

  it('a quarantined value is text when printable UTF-8, hex otherwise, cut at the limit', () => {
    expect(toHtml(rawView('{"a":"<b>"}'))).toContain('<span class="tag">text</span>');
    expect(toHtml(rawView('{"a":"<b>"}'))).toContain('&lt;b&gt;');
    const binary = toHtml(rawView(new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0xff]), 1024));
    expect(binary).toContain('<span class="tag">hex</span>');
    expect(binary).toContain('1f 8b 08 00 ff');
    const big = toHtml(rawView(new Uint8Array(10_000).fill(0xfe), 64));
    expect(big).toContain('9936 more bytes not shown');
    expect(big.split('\n').length).toBeLessThan(10);
  });

  it('html escapes every interpolation and nests fragments', () => {
    const key = `"><script>alert('k')</script>`;
    const out = toHtml(html`<a title="${key}">${key}</a>${html`<b>${'&'}</b>`}`);
    expect(out).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;k&#39;)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(&#39;k&#39;)&lt;/script&gt;</a><b>&amp;</b>',
    );
  });
});

describe('the key page with a backend that can peek', () => {
  it('pages through 100 000 records 50 at a time: the page stays small', async () => {
    const time = testClock();
    const backend = new MemoryBackend<unknown>({ clock: time.clock });
    await backend.add('big', { key: 'r0', value: 0, timestamp: time.now });
    const records: PeekedRecord[] = Array.from({ length: 100_000 }, (_, i) => ({
      key: `r${100_000 - i}`,
      timestamp: time.now - i,
      value: { n: 100_000 - i, text: `<i>${'y'.repeat(200)}</i>` },
      inSnapshot: false,
    }));
    const browser = await serve({ backend: withPeek(backend, () => records), clock: time.clock });
    const first = await browser.get('/key?key=big');
    expect(first.status).toBe(200);
    expect(first.body.match(/<tr data-record=/g)).toHaveLength(50);
    expect(first.body).toContain('data-record="r100000"');
    expect(first.body.length).toBeLessThan(100_000);
    expect(first.body).not.toContain('<i>');
    const next = /id="next-records" href="([^"]+)"/.exec(first.body)![1]!.replaceAll('&amp;', '&');
    const second = await browser.get(next);
    expect(second.body).toContain('data-record="r99950"');
    expect(second.body).not.toContain('data-record="r100000"');
    expect(second.body).toContain('Page 2');
    await backend.close();
  });

  it('shows an undecodable record raw and links each record to its removal', async () => {
    const time = testClock();
    const backend = new MemoryBackend<unknown>({ clock: time.clock });
    await backend.add('k', { key: 'a', value: 1, timestamp: time.now });
    const browser = await serve({
      backend: withPeek(backend, () => [
        { key: 'a', timestamp: time.now, value: { ok: true }, inSnapshot: false },
        { key: 'b', timestamp: time.now - 1, raw: new Uint8Array([0, 1, 2]), inSnapshot: true },
      ]),
      clock: time.clock,
    });
    const page = await browser.get('/key?key=k');
    expect(page.body).toContain('<span class="tag">snapshot</span>');
    expect(page.body).toContain('000000  00 01 02');
    expect(page.body).toContain('/confirm?action=remove&amp;key=k&amp;record=a');
    await backend.close();
  });
});

describe('mounting', () => {
  it('under a base path on a plain server: links carry it, other paths go to next', async () => {
    const time = testClock();
    const backend = new MemoryBackend<unknown>({ clock: time.clock });
    await seedWaiting(backend, 3, 'm:', time.now);
    const browser = await serve({ backend, basePath: '/ops/digests/', clock: time.clock });
    const page = await browser.get('/ops/digests');
    expect(page.status).toBe(200);
    expect(page.body).toContain('href="/ops/digests/key?key=m%3A00000"');
    expect(page.body).toContain('href="/ops/digests/assets/dashboard.css"');
    expect((await browser.get('/ops/digests/assets/dashboard.js')).status).toBe(200);
    const elsewhere = await browser.get('/ops/other');
    expect([elsewhere.status, elsewhere.body]).toEqual([404, 'next']);
    await backend.close();
  });

  it('as Express middleware: the mount path comes from req.baseUrl', async () => {
    const time = testClock();
    const backend = new MemoryBackend<unknown>({ clock: time.clock });
    await seedWaiting(backend, 1, 'e:', time.now);
    const browser = await serve({ backend, clock: time.clock }, '/admin/digests');
    const page = await browser.get('/admin/digests/keys');
    expect(page.status).toBe(200);
    expect(page.body).toContain('href="/admin/digests/key?key=e%3A00000"');
    await backend.close();
  });

  it('shows the counters of a worker running in the same process', async () => {
    const backend = new MemoryBackend<unknown>();
    const counters = { ...zeroCounters(), digestsDelivered: 7, recordsDelivered: 42 };
    const browser = await serve({ backend, worker: { counters } });
    const page = await browser.get('/');
    expect(page.body).toMatch(/records delivered<\/td><td class="num">42</);
    await backend.close();
  });
});

describe('access token', () => {
  it('listening off loopback needs a token of at least 16 characters', async () => {
    const backend = new MemoryBackend<unknown>();
    await expect(startDashboard({ backend, host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /needs an access token/,
    );
    await expect(
      startDashboard({ backend, host: '0.0.0.0', port: 0, token: 'short' }),
    ).rejects.toThrow(/at least 16/);
    const dashboard = await startDashboard({
      backend,
      host: '0.0.0.0',
      port: 0,
      token: 't'.repeat(24),
    });
    servers.push(dashboard);
    expect(dashboard.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    await backend.close();
  });

  it('a browser logs in with the token through a CSRF-protected form; scripts send it as a bearer token', async () => {
    const token = 'correct horse battery staple';
    const backend = new MemoryBackend<unknown>();
    const dashboard = await startDashboard({ backend, port: 0, token });
    servers.push(dashboard);
    const browser = new Browserish(dashboard.url);
    const refused = await browser.get('/');
    expect([refused.status, refused.location]).toEqual([303, '/login']);
    expect((await browser.get('/keys')).status).toBe(303);
    await browser.get('/login');
    expect((await browser.post('/actions/flush', { key: 'k', csrf: browser.csrf! })).status).toBe(
      401,
    );
    expect((await browser.post('/login', { token: 'wrong', csrf: browser.csrf! })).status).toBe(
      401,
    );
    expect((await browser.post('/login', { token })).status).toBe(403); // no form token
    const login = await browser.post('/login', { token, csrf: browser.csrf! });
    expect([login.status, login.location]).toEqual([303, '/']);
    expect((await browser.get('/')).status).toBe(200);
    const script = await fetch(dashboard.url, { headers: { authorization: `Bearer ${token}` } });
    expect(script.status).toBe(200);
    const wrong = await fetch(dashboard.url, {
      headers: { authorization: 'Bearer nope' },
      redirect: 'manual',
    });
    expect(wrong.status).toBe(303);
    await backend.close();
  });
});

describe('DNS rebinding', () => {
  it('without a token, the server answers only to loopback host names', async () => {
    const backend = new MemoryBackend<unknown>();
    const dashboard = await startDashboard({ backend, port: 0 });
    servers.push(dashboard);
    const port = Number(new URL(dashboard.url).port);
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status(`127.0.0.1:${port}`)).toBe(200);
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status(`attacker.example:${port}`)).toBe(403);
    await backend.close();
  });
});
