import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../src/index.js';
import { jsonLines, Scratch } from './support.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether Redis answers; in CI a missing server fails the run instead. */
async function redisUp(): Promise<boolean> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.CI)
      throw new Error(`Redis at ${REDIS_URL} is required in CI: ${String(error)}`);
    console.warn(`Redis at ${REDIS_URL} is unreachable: the CLI's Redis cases do not run here`);
    return false;
  } finally {
    client.disconnect();
  }
}

/** One store the admin commands run against: a config node (no options). */
const stores: [string, () => Record<string, unknown>][] = [
  ['sqlite file', () => ({ backend: 'sqlite', filename: 'admin.db' })],
];
if (await redisUp()) {
  stores.push([
    'redis',
    () => ({ backend: 'redis', url: REDIS_URL, namespace: `cli-${randomUUID().slice(0, 8)}` }),
  ]);
}

const DELAYS = { minimumDelay: 60_000, incrementDelay: 1_000, maximumDelay: 600_000 };

describe.each(stores)('list, remove, flush, delete, quarantine on %s', (_name, node) => {
  let scratch: Scratch;
  let store: Record<string, unknown>;
  beforeEach(() => {
    scratch = new Scratch();
    store = node();
    scratch.config({ ...store, options: DELAYS });
  });
  afterEach(() => scratch.cleanup());

  const run = (...argv: string[]) => scratch.run(argv);
  const add = async (key: string, recordKey: string) =>
    expect(
      (await run('add', key, '--value', `{"n":"${recordKey}"}`, '--record-key', recordKey)).code,
    ).toBe(EXIT.ok);

  /** k1 waiting with r2, r3 (r1 went out at once); k2 waiting with s2, then flushed: ready. */
  async function seed(): Promise<void> {
    for (const record of ['r1', 'r2', 'r3']) await add('mail:k1', record);
    for (const record of ['s1', 's2']) await add('mail:k2', record);
    expect((await run('flush', 'mail:k2')).stdout).toMatch(/^flushed\s+mail:k2: waiting → ready\n/);
  }

  it('list prints an aligned table in schedule order, filters by state and stops at --limit', async () => {
    await seed();
    const all = await run('list');
    expect(all.code).toBe(EXIT.ok);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KEY\s+STATE\s+DUE \/ READY SINCE\s+RECORDS$/);
    // The ready key was due earlier (now) than the waiting one (a minute after its first record).
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'mail:k2 ready',
      'mail:k1 waiting',
    ]);
    const stateColumn = lines[0]!.indexOf('STATE');
    for (const line of lines.slice(1)) expect(line.slice(stateColumn)).toMatch(/^(ready|waiting) /);
    expect(lines.slice(1).map((line) => line.trim().split(/\s+/).at(-1))).toEqual(['1', '2']);

    const ready = JSON.parse((await run('list', '--state', 'ready', '--json')).stdout);
    expect(ready).toMatchObject({
      entries: [{ key: 'mail:k2', state: 'ready', size: 1 }],
      more: false,
    });
    const first = await run('list', '--limit', '1', '--json');
    expect(JSON.parse(first.stdout)).toMatchObject({ entries: [{ key: 'mail:k2' }], more: true });
    const limited = await run('list', '--limit', '1');
    expect(limited.stderr).toContain('showing the first 1; raise --limit to see more');
  });

  it('remove cancels named records and says how many it found', async () => {
    await seed();
    const removed = await run('remove', 'mail:k1', 'r2', 'nope');
    expect(removed.code).toBe(EXIT.ok);
    expect(removed.stdout).toMatch(/^removed\s+1 of 2 records from mail:k1\nstate\s+waiting\n/);
    expect(removed.stdout).toMatch(/records\s+1\n$/);
    const json = JSON.parse((await run('remove', 'mail:k1', 'r3', '--json')).stdout);
    expect(json).toMatchObject({
      key: 'mail:k1',
      requested: 1,
      removed: 1,
      state: 'waiting',
      size: 0,
    });
  });

  it('flush makes only a waiting key ready; delete drops a key', async () => {
    await seed();
    const again = await run('flush', 'mail:k2', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({
      key: 'mail:k2',
      before: 'ready',
      state: 'ready',
    });
    expect((await run('flush', 'mail:none')).stdout).toContain(
      'mail:none is absent: only a waiting key can be flushed',
    );
    const deleted = await run('delete', 'mail:k1');
    expect(deleted.stdout).toMatch(
      /^deleted\s+mail:k1 \(was waiting\)\nrecords\s+2\nquarantined\s+0\n$/,
    );
    const left = JSON.parse((await run('list', '--json')).stdout) as { entries: { key: string }[] };
    expect(left.entries.map((entry) => entry.key)).toEqual(['mail:k2']);
  });

  it('quarantine shows values the codec could not decode, raw, and --delete removes them', async () => {
    // Written by a compressed-JSON codec (a header byte, then the payload), read back
    // by the JSON codec: undecodable, so the digest sets the values aside.
    scratch.config(
      { ...store, options: { ...DELAYS, codec: 'compressed-json' } },
      'compressed.json',
    );
    const write = (recordKey: string) =>
      scratch.run([
        'add',
        'mail:q',
        '--value',
        `{"n":"${recordKey}"}`,
        '--record-key',
        recordKey,
        '--config',
        'compressed.json',
      ]);
    for (const recordKey of ['first', 'bad-1', 'bad-2'])
      expect((await write(recordKey)).code).toBe(EXIT.ok);
    expect((await run('flush', 'mail:q')).code).toBe(EXIT.ok);
    // A flushed key is ready: maintenance hands it back to the schedule, which yields it.
    const pass = await run('worker', '--once', '--maintenance-age', '0', '--json');
    expect(pass.code).toBe(EXIT.ok);

    const shown = await run('quarantine', 'mail:q');
    expect(shown.code).toBe(EXIT.ok);
    const lines = shown.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RECORD\s+TIMESTAMP\s+BYTES\s+VALUE$/);
    expect(
      lines
        .slice(1)
        .map((line) => line.split(/\s+/)[0])
        .sort(),
    ).toEqual(['bad-1', 'bad-2']);
    // Shown raw: the compressed codec's header byte, then the JSON text.
    expect(shown.stdout).toContain('"\\u0000{\\"n\\":\\"bad-1\\"}"');
    const json = JSON.parse((await run('quarantine', 'mail:q', '--json')).stdout);
    expect(json.records).toHaveLength(2);
    expect((await run('inspect', 'mail:q', '--json')).stdout).toContain('"quarantined":2');

    const one = await run('quarantine', 'mail:q', '--delete', 'bad-1');
    expect(one.stdout).toMatch(/^deleted\s+1 quarantined value of mail:q\n$/);
    const rest = jsonLines((await run('quarantine', 'mail:q', '--delete', '--json')).stdout);
    expect(rest).toEqual([{ key: 'mail:q', deleted: 1 }]);
    const none = await run('quarantine', 'mail:q');
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('mail:q has no quarantined values');
  });
});
