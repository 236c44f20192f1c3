import type { Backend } from '@digests/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningDashboard, startDashboard } from '../src/index.js';
import {
  Browserish,
  pickyCodec,
  seedQuarantined,
  seedWaiting,
  TARGETS,
  testClock,
} from './support.js';

const XSS = '<script>alert(1)</script>';

describe.each(TARGETS)('dashboard over $name', (target) => {
  let backend: Backend<unknown>;
  let cleanup: () => Promise<void>;
  let time: ReturnType<typeof testClock>;
  const running: RunningDashboard[] = [];

  beforeEach(() => {
    time = testClock();
    ({ backend, cleanup } = target.create({
      clock: time.clock,
      codec: pickyCodec,
      minimumDelay: 60_000,
    }));
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((dashboard) => dashboard.close()));
    await cleanup();
  });

  async function open(options: { readOnly?: boolean } = {}): Promise<Browserish> {
    const dashboard = await startDashboard({ backend, port: 0, clock: time.clock, ...options });
    running.push(dashboard);
    return new Browserish(dashboard.url);
  }

  it('the overview counts keys per state and lists the next due and the most overdue', async () => {
    await seedWaiting(backend, 12, 'wait:', time.now);
    await backend.add('ready:a', { key: 'r', value: 1, timestamp: time.now - 90_000 });
    await backend.add('ready:b', { key: 'r', value: 2, timestamp: time.now - 30_000 });
    const browser = await open();
    const page = await browser.get('/');
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/id="count-waiting".*?<div class="value">12<\/div>/s);
    expect(page.body).toMatch(/id="count-ready".*?<div class="value">2<\/div>/s);
    const nextDue = section(page.body, 'next-due');
    expect(rowsOf(nextDue)).toHaveLength(10);
    expect(nextDue.indexOf('wait:00000')).toBeLessThan(nextDue.indexOf('wait:00001'));
    expect(nextDue).toContain('in 1m');
    const overdue = section(page.body, 'overdue');
    // Ready keys oldest first: the one due 90 s ago lags most.
    expect(overdue.indexOf('ready:a')).toBeLessThan(overdue.indexOf('ready:b'));
    expect(overdue).toContain('1m 30s');
  });

  it('pages through keys by state with the backend cursor, each key once, in schedule order', async () => {
    await seedWaiting(backend, 120, 'k:', time.now);
    const browser = await open();
    const seen: string[] = [];
    let path: string | undefined = '/keys?state=waiting';
    let pages = 0;
    while (path !== undefined) {
      const page = await browser.get(path);
      expect(page.status).toBe(200);
      const keys = [
        ...section(page.body, 'keys').matchAll(/<td class="key"><a [^>]*>([^<]+)<\/a>/g),
      ].map((m) => m[1]!);
      expect(keys.length).toBeLessThanOrEqual(50);
      seen.push(...keys);
      const next = /id="next-page" rel="next" href="([^"]+)"/.exec(page.body)?.[1];
      path = next === undefined ? undefined : htmlText(next);
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => `k:${String(i).padStart(5, '0')}`));
  });

  it('filters keys by prefix across pages', async () => {
    await seedWaiting(backend, 60, 'mail:', time.now);
    await seedWaiting(backend, 60, 'push:', time.now);
    const browser = await open();
    const page = await browser.get('/keys?prefix=push%3A&limit=20');
    const keys = [...section(page.body, 'keys').matchAll(/>((?:mail|push):\d+)</g)].map(
      (m) => m[1]!,
    );
    expect(keys.length).toBeGreaterThanOrEqual(20);
    expect(keys.every((key) => key.startsWith('push:'))).toBe(true);
    const none = await browser.get('/keys?prefix=nothing');
    expect(none.body).toContain('id="no-keys"');
  });

  it('renders keys and values inert: a script key is text', async () => {
    await backend.add(XSS, { key: XSS, value: { html: XSS }, timestamp: time.now });
    const browser = await open();
    for (const path of ['/', '/keys', `/key?key=${encodeURIComponent(XSS)}`]) {
      const page = await browser.get(path);
      expect(page.body).not.toContain(XSS);
      expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    const page = await browser.get(`/key?key=${encodeURIComponent(XSS)}`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('the key page shows state, size, last processed and the quarantined value raw', async () => {
    await seedQuarantined(backend, 'q:1', time.now);
    const browser = await open();
    const page = await browser.get('/key?key=q%3A1');
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-state="waiting"');
    expect(page.body).toMatch(/id="size">1 /);
    expect(page.body).toMatch(/id="quarantined-count">1</);
    expect(page.body).toMatch(/id="last-processed"><time/);
    const quarantine = section(page.body, 'quarantine');
    expect(quarantine).toContain('poison');
    // The stored JSON holds a NUL escape as text, so it shows as text, escaped.
    expect(quarantine).toContain('<span class="tag">text</span>');
    expect(quarantine).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('flushes, removes a record, deletes quarantined values and deletes a key, each confirmed and CSRF-checked', async () => {
    await seedWaiting(backend, 1, 'act:', time.now);
    await backend.add('act:00000', { key: 'r2', value: 2, timestamp: time.now });
    await seedQuarantined(backend, 'q:1', time.now);
    const browser = await open();
    const key = 'act:00000';

    const confirm = await browser.get(`/confirm?action=flush&key=${encodeURIComponent(key)}`);
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain('id="confirm"');
    expect((await backend.inspect(key)).state).toBe('waiting'); // a confirmation page changes nothing

    const flushed = await browser.post('/actions/flush', { key, csrf: browser.csrf! });
    expect(flushed.status).toBe(303);
    expect(flushed.location).toContain('done=flushed');
    expect((await backend.inspect(key)).state).toBe('ready');

    const removed = await browser.post('/actions/remove', {
      key,
      records: 'r1',
      csrf: browser.csrf!,
    });
    expect(removed.location).toContain('done=removed&n=1');
    expect((await backend.inspect(key)).size).toBe(1);
    const after = await browser.get(removed.location!);
    expect(after.body).toContain('1 record removed.');

    const dq = await browser.post('/actions/delete-quarantined', {
      key: 'q:1',
      csrf: browser.csrf!,
    });
    expect(dq.location).toContain('n=1');
    expect(await backend.quarantined('q:1')).toEqual([]);

    await browser.post('/actions/delete', { key, csrf: browser.csrf! });
    expect(await backend.inspect(key)).toEqual({ state: 'absent', size: 0 });
  });

  it('acts on keys and record keys holding line feeds exactly, through the confirmation form', async () => {
    const key = 'line\nfeed';
    await backend.add(key, { key: 'r\n1', value: 1, timestamp: time.now });
    await backend.add(key, { key: 'r', value: 2, timestamp: time.now });
    const browser = await open();
    const confirm = await browser.get(
      `/confirm?${new URLSearchParams({ action: 'remove', key, record: 'r\n1' })}`,
    );
    const payload = /name="payload" value="([^"]+)"/.exec(confirm.body)![1]!;
    const removed = await browser.post('/actions/remove', { payload, csrf: browser.csrf! });
    expect(removed.location).toContain('n=1');
    expect(await backend.remove(key, ['r\n1'])).toBe(0);
    expect((await backend.inspect(key)).size).toBe(1);
  });

  it('refuses a POST without the session form token, from another session, or from another site', async () => {
    await seedWaiting(backend, 1, 'csrf:', time.now);
    const key = 'csrf:00000';
    const browser = await open();
    await browser.get('/');
    expect((await browser.post('/actions/flush', { key })).status).toBe(403);
    expect((await browser.post('/actions/flush', { key, csrf: 'forged' })).status).toBe(403);
    const other = await open();
    await other.get('/');
    // A token from one session is worthless in another.
    expect((await browser.post('/actions/flush', { key, csrf: other.csrf! })).status).toBe(403);
    const crossSite = await browser.post(
      '/actions/flush',
      { key, csrf: browser.csrf! },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    expect((await backend.inspect(key)).state).toBe('waiting');
  });

  it('read-only mode shows no actions and refuses them', async () => {
    await seedWaiting(backend, 1, 'ro:', time.now);
    const key = 'ro:00000';
    const browser = await open({ readOnly: true });
    const page = await browser.get(`/key?key=${encodeURIComponent(key)}`);
    expect(page.body).toContain('id="read-only"');
    expect(page.body).not.toContain('/confirm?');
    expect((await browser.get(`/confirm?action=flush&key=${key}`)).status).toBe(403);
    expect((await browser.post('/actions/flush', { key, csrf: browser.csrf! })).status).toBe(403);
    expect((await backend.inspect(key)).state).toBe('waiting');
  });

  it('answers 400 for a bad cursor or a missing key, and 404 elsewhere', async () => {
    const browser = await open();
    expect((await browser.get('/keys?after=garbage')).status).toBe(400);
    expect((await browser.get('/key')).status).toBe(400);
    expect((await browser.get('/nope')).status).toBe(404);
  });
});

/** The HTML of the element with this id, up to its table's end. */
function section(body: string, id: string): string {
  const start = body.indexOf(`id="${id}"`);
  expect(start, `#${id} on the page`).toBeGreaterThanOrEqual(0);
  const end = body.indexOf('</table>', start);
  return body.slice(start, end < 0 ? undefined : end);
}

function rowsOf(table: string): string[] {
  return table.split('<tr>').slice(2);
}

function htmlText(text: string): string {
  return text.replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"');
}
