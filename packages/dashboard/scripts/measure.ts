/**
 * How long the dashboard takes to answer with 10 000 keys per state: the
 * overview, the first page and a deep page (the last) of each state, and a
 * prefix filter that must read the whole state. Run:
 *
 *   npx tsx --conditions source packages/dashboard/scripts/measure.ts [memory|sqlite]…
 *
 * Times are the median of 15 HTTP round trips (request, render, response
 * read) on loopback, after 3 warm-ups; with Chromium at /usr/bin/chromium,
 * also the median of 5 page loads in it (navigation start to the load
 * event: server, transfer, parse, style, layout).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addMany, type Backend } from '@digests/core';
import { MemoryBackend } from '@digests/memory';
import { SqliteBackend } from '@digests/sqlite';
import { type Browser, chromium } from 'playwright-core';
import { startDashboard } from '../src/index.js';

const PER_STATE = 10_000;
const PAGE = 50;

async function measure(name: string, backend: Backend<unknown>): Promise<void> {
  const now = Date.now();
  const entries = [];
  for (let i = 0; i < PER_STATE; i++) {
    const n = String(i).padStart(5, '0');
    entries.push({ key: `ready:${n}`, record: { key: 'r', value: { i }, timestamp: now - i } });
  }
  await addMany(backend, entries);
  const waiting = [];
  for (let i = 0; i < PER_STATE; i++) {
    const n = String(i).padStart(5, '0');
    waiting.push({ key: `waiting:${n}`, record: { key: 'r', value: { i }, timestamp: now } });
  }
  await addMany(backend, waiting, { dueAt: now + 3_600_000 });
  const dashboard = await startDashboard({ backend, port: 0, pageSize: PAGE });
  try {
    const rows: [string, number | undefined, number, number, number | undefined][] = [];
    // `list` alone, for the same page: what the store costs, apart from rendering.
    const timed = async (label: string, url: string, list?: () => Promise<unknown>) => {
      const store = list === undefined ? undefined : await timeCall(list);
      rows.push([label, store, ...(await time(url)), await browserTime(url)]);
    };
    await timed('overview', dashboard.url);
    for (const state of ['waiting', 'ready'] as const) {
      await timed(`${state}: first page`, `${dashboard.url}keys?state=${state}`, () =>
        backend.list({ state, limit: PAGE }),
      );
      // The cursor that opens page n, as the dashboard's "next" links carry it.
      const cursors: (string | undefined)[] = [undefined];
      for (let page = await backend.list({ state, limit: PAGE }); page.next; ) {
        cursors.push(page.next);
        page = await backend.list({ state, limit: PAGE, after: page.next });
      }
      for (const n of [cursors.length / 2, cursors.length]) {
        await timed(
          `${state}: page ${n} of ${cursors.length} (deep)`,
          `${dashboard.url}keys?state=${state}&after=${cursors[n - 1]}&page=${n}`,
          () => backend.list({ state, limit: PAGE, after: cursors[n - 1]! }),
        );
      }
    }
    await timed(
      'prefix filter reading 5 000 keys',
      `${dashboard.url}keys?state=waiting&prefix=nothing`,
    );
    console.log(`\n${name}: ${PER_STATE} waiting + ${PER_STATE} ready keys, ${PAGE} keys per page`);
    const ms = (value: number | undefined) => value?.toFixed(1) ?? '—';
    console.log('| page | `list` alone | HTTP median | HTTP p90 | Chromium load |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [label, store, median, p90, load] of rows) {
      console.log(`| ${label} | ${ms(store)} | ${ms(median)} | ${ms(p90)} | ${ms(load)} |`);
    }
  } finally {
    await dashboard.close();
  }
}

async function timeCall(call: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 18; i++) {
    const began = performance.now();
    await call();
    if (i >= 3) samples.push(performance.now() - began);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

async function time(url: string): Promise<[number, number]> {
  const samples: number[] = [];
  for (let i = 0; i < 18; i++) {
    const began = performance.now();
    // A kept-alive socket the server timed out while the cursors were walked
    // resets once; the retry opens a new one.
    const response = await fetch(url).catch(() => fetch(url));
    await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (i >= 3) samples.push(performance.now() - began);
  }
  samples.sort((a, b) => a - b);
  return [samples[Math.floor(samples.length / 2)]!, samples[Math.floor(samples.length * 0.9)]!];
}

let browser: Browser | undefined;

async function browserTime(url: string): Promise<number | undefined> {
  if (browser === undefined) return undefined;
  const page = await browser.newPage();
  const samples: number[] = [];
  for (let i = 0; i < 6; i++) {
    await page.goto(url, { waitUntil: 'load' });
    // Evaluated in the page, so written as text: Node's types have no DOM.
    const load = await page.evaluate(
      `(() => { const [e] = performance.getEntriesByType('navigation'); return e.loadEventEnd - e.startTime; })()`,
    );
    if (i > 0) samples.push(Number(load));
  }
  await page.close();
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

if (existsSync('/usr/bin/chromium')) {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : ['memory', 'sqlite']) {
  if (name === 'memory') {
    const backend = new MemoryBackend<unknown>();
    await measure('memory', backend);
    await backend.close();
  } else if (name === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'digests-dashboard-measure-'));
    const backend = new SqliteBackend<unknown>({ filename: join(folder, 'digests.db') });
    try {
      await measure('sqlite', backend);
    } finally {
      await backend.close();
      rmSync(folder, { recursive: true, force: true });
    }
  } else {
    throw new Error(`unknown backend ${name} (memory or sqlite)`);
  }
}
await browser?.close();
