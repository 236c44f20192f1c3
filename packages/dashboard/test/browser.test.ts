/**
 * The dashboard in a real browser: Debian's Chromium driven by
 * playwright-core. CI (CI set) fails when Chromium is missing; a developer
 * machine without it skips with a message. Screenshots of every page go to
 * `.ci/artifacts/` (git-ignored), which CI keeps as artifacts.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Backend } from '@digests/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDashboard, startDashboard } from '../src/index.js';
import { pickyCodec, seedQuarantined, seedWaiting, sqliteFile } from './support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const ARTIFACTS = fileURLToPath(new URL('../../../.ci/artifacts/', import.meta.url));
const XSS = '<script>alert(1)</script>';
// Generous: CI runs every suite at once on two cores, and Chromium is heavy.
const SLOW = { timeout: 120_000 };

const available = chromiumAvailable();

describe.skipIf(!available)('the dashboard in Chromium', () => {
  let browser: Browser;
  let backend: Backend<unknown>;
  let cleanup: () => Promise<void>;
  let readWrite: RunningDashboard;
  let readOnly: RunningDashboard;
  const now = Date.now();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ backend, cleanup } = sqliteFile({ codec: pickyCodec }));
    await seedWaiting(backend, 60, 'user:', now); // three pages of 25
    for (const name of ['alerts:billing', 'alerts:checkout', 'alerts:search']) {
      for (let i = 0; i < 3; i++) {
        await backend.add(name, {
          key: `evt-${i}`,
          value: { issue: `TypeError in ${name.slice(7)}`, count: i + 1 },
          timestamp: now - (3 - i) * 45_000,
        });
      }
    }
    await seedQuarantined(backend, 'mail:team:7', now);
    await backend.add(XSS, { key: XSS, value: { html: XSS }, timestamp: now });
    await backend.add('user:00005', { key: 'r2', value: { n: 'two' }, timestamp: now });
    await backend.add('user:00005', { key: 'r3', value: { n: 'three' }, timestamp: now });
    readWrite = await startDashboard({ backend, port: 0, pageSize: 25 });
    readOnly = await startDashboard({ backend, port: 0, pageSize: 25, readOnly: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  }, SLOW.timeout);

  afterAll(async () => {
    await browser?.close();
    await readWrite?.close();
    await readOnly?.close();
    await cleanup?.();
  });

  async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      ...options,
    });
    const page = await context.newPage();
    // Any script the page runs that was not ours would show up as a dialog.
    page.on('dialog', (dialog) => {
      throw new Error(`unexpected dialog: ${dialog.message()}`);
    });
    return page;
  }

  it('overview, paging, flush, remove, delete: the backend agrees', SLOW, async () => {
    const page = await newPage();
    await page.goto(readWrite.url);
    await expect(page.locator('#count-waiting .value').textContent()).resolves.toBe('61');
    await expect(page.locator('#count-ready .value').textContent()).resolves.toBe('4');
    expect(await page.locator('#next-due tbody tr').count()).toBe(10);
    await expect(page.locator('#overdue tbody tr').first().textContent()).resolves.toContain(
      'alerts:',
    );
    await shot(page, 'overview');

    // Page through every waiting key.
    await page.click('text=Waiting');
    const seen: string[] = [];
    for (let n = 1; ; n++) {
      seen.push(...(await page.locator('#keys td.key').allTextContents()));
      if (n === 2) await shot(page, 'keys-waiting-page-2');
      const next = page.locator('#next-page');
      if ((await next.count()) === 0) break;
      await next.click();
    }
    expect(seen).toHaveLength(61);
    expect(new Set(seen).size).toBe(61);

    // One key: waiting, then flushed through the confirmation page.
    await page.goto(`${readWrite.url}key?key=user%3A00005`);
    await expect(page.locator('#state').textContent()).resolves.toBe('waiting');
    await expect(page.locator('#size').textContent()).resolves.toMatch(/^3 /);
    await shot(page, 'key-waiting');
    await page.click('#action-flush');
    await shot(page, 'confirm-flush');
    await page.click('#confirm');
    await expect(page.locator('#notice').textContent()).resolves.toContain('Flushed');
    await expect(page.locator('#state').textContent()).resolves.toBe('ready');
    expect((await backend.inspect('user:00005')).state).toBe('ready');
    await shot(page, 'key-flushed');

    // Remove one record by its key.
    await page.fill('#remove-form textarea', 'r2');
    await page.click('#remove-form button');
    await expect(page.locator('#confirm-records').textContent()).resolves.toContain('r2');
    await page.click('#confirm');
    await expect(page.locator('#notice').textContent()).resolves.toBe('1 record removed.');
    await expect(page.locator('#size').textContent()).resolves.toMatch(/^2 /);

    // Delete another key.
    await page.goto(`${readWrite.url}key?key=alerts%3Asearch`);
    await page.click('#action-delete');
    await page.click('#confirm');
    await expect(page.locator('#notice').textContent()).resolves.toBe('Key deleted.');
    await expect(page.locator('#state').textContent()).resolves.toBe('absent');

    // Exactly that happened: r2 is gone, r1 and r3 remain; one key fewer, the others untouched.
    const delivered = await backend.digest('user:00005', (records) => records.map((r) => r.key));
    expect(delivered).toEqual(['r3', 'r1']);
    expect(await backend.inspect('alerts:search')).toEqual({ state: 'absent', size: 0 });
    expect((await backend.inspect('alerts:billing')).size).toBe(3);
    const keys = await backend.list({ limit: 1000 });
    expect(keys.entries).toHaveLength(65 - 1);
  });

  it('shows a quarantined value raw and renders a script key as text', SLOW, async () => {
    const page = await newPage();
    await page.goto(`${readWrite.url}key?key=mail%3Ateam%3A7`);
    await expect(page.locator('#quarantined-count').textContent()).resolves.toBe('1');
    await expect(page.locator('#quarantine').textContent()).resolves.toContain('poison');
    await shot(page, 'key-quarantined');
    await page.click('text=Quarantine');
    expect(await page.locator('#quarantined-keys td.key').allTextContents()).toEqual([
      'mail:team:7',
    ]);
    await shot(page, 'quarantine-scan');

    await page.goto(`${readWrite.url}keys?state=ready`);
    await page.click(`#keys a:text-is(${JSON.stringify(XSS)})`);
    await expect(page.locator('#key').textContent()).resolves.toBe(XSS);
    // Inert: the text is on the page, and no script element came from it.
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('script[src$="/assets/dashboard.js"]').count()).toBe(1);
    await shot(page, 'key-xss');
  });

  it('read-only mode offers no action and refuses one posted anyway', SLOW, async () => {
    const page = await newPage();
    await page.goto(`${readOnly.url}key?key=user%3A00007`);
    expect(await page.locator('#read-only').count()).toBe(1);
    expect(await page.locator('#action-flush').count()).toBe(0);
    await shot(page, 'read-only-key');
    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
    // Posted anyway, with this browser's cookies and a valid form token: refused.
    const response = await page.request.post(`${readOnly.url}actions/flush`, {
      form: { key: 'user:00007', csrf: csrf ?? '' },
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('read-only');
    const refused = await page.goto(`${readOnly.url}confirm?action=delete&key=user%3A00007`);
    expect(refused?.status()).toBe(403);
    await shot(page, 'read-only-refused');
    expect((await backend.inspect('user:00007')).state).toBe('waiting');
  });

  it('reads with JavaScript off', SLOW, async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(readWrite.url);
    expect(await page.locator('#next-due tbody tr').count()).toBe(10);
    await page.click('#next-due a >> nth=0');
    await expect(page.locator('#state').textContent()).resolves.toBe('waiting');
    await shot(page, 'key-without-javascript');
  });
});

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

function chromiumAvailable(): boolean {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return true;
  } catch {
    const message = `Chromium is not at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
    if (process.env.CI)
      throw new Error(`${message}; CI requires it for the dashboard's browser test`);
    console.warn(`Skipping the dashboard's browser test: ${message}.`);
    return false;
  }
}
