import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliIo, EXIT, run } from '../src/index.js';
import { jsonLines, Scratch } from './support.js';

let scratch: Scratch;
beforeEach(() => {
  scratch = new Scratch();
});
afterEach(() => scratch.cleanup());

describe('inspect', () => {
  it('reports an absent key', async () => {
    scratch.config({ backend: 'memory' });
    const { code, stdout } = await scratch.run(['inspect', 'mail:p:1']);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(
      /^key\s+mail:p:1\nstate\s+absent\nrecords\s+0\nlast processed\s+never\n$/,
    );
  });

  it('exits 1 with the DigestsError code for an invalid key', async () => {
    scratch.config({ backend: 'memory' });
    const { code, stderr } = await scratch.run(['inspect', '', '--json']);
    expect(code).toBe(EXIT.error);
    expect(jsonLines(stderr)[0]).toMatchObject({ error: { code: 'DIGESTS_INVALID_KEY' } });
  });
});

describe('stats', () => {
  it('counts an empty store', async () => {
    scratch.config({ backend: 'memory' });
    const { code, stdout } = await scratch.run(['stats', '--json']);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(stdout)).toEqual({ backend: 'memory', waiting: 0, ready: 0, records: 0 });
  });

  it('counts through containers (a null backend holds nothing)', async () => {
    scratch.config({ backend: 'retrying', inner: { backend: 'null' }, delays: [0] });
    const { code, stdout } = await scratch.run(['stats', '--json']);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(stdout)).toEqual({ backend: 'retrying', waiting: 0, ready: 0, records: 0 });
  });
});

describe('add, inspect, stats and worker on one SQLite file', () => {
  it('delivers the first record at once and the next one from the worker', async () => {
    scratch.sqlite();
    const first = await scratch.run([
      'add',
      'mail:p:1',
      '--value',
      '{"text":"hi"}',
      '--record-key',
      'e1',
    ]);
    expect(first.code).toBe(EXIT.ok);
    expect(first.stdout).toMatch(
      /digest mail:p:1 {2}1 record {2}[0-9a-f]{32}\n {2}e1 {2}\S+Z {2}\{"text":"hi"\}\n/,
    );
    expect(first.stdout).toContain('delivered  at once');

    const second = await scratch.run([
      'add',
      'mail:p:1',
      '--value',
      '{"text":"again"}',
      '--record-key',
      'e2',
      '--json',
    ]);
    expect(second.code).toBe(EXIT.ok);
    expect(jsonLines(second.stdout)).toEqual([
      expect.objectContaining({
        event: 'added',
        key: 'mail:p:1',
        recordKey: 'e2',
        deliveredAtOnce: false,
        state: 'waiting',
        size: 1,
      }),
    ]);

    const inspect = await scratch.run(['inspect', 'mail:p:1', '--json']);
    expect(JSON.parse(inspect.stdout)).toMatchObject({
      key: 'mail:p:1',
      state: 'waiting',
      size: 1,
    });
    expect(JSON.parse(inspect.stdout).lastProcessed).toEqual(expect.any(Number));

    const stats = await scratch.run(['stats', '--json']);
    expect(JSON.parse(stats.stdout)).toMatchObject({
      backend: 'sqlite',
      waiting: 1,
      ready: 0,
      records: 1,
    });

    const worker = await scratch.run(['worker', '--once', '--json']);
    expect(worker.code).toBe(EXIT.ok);
    const [digest, stopped] = jsonLines(worker.stdout);
    expect(digest).toMatchObject({
      event: 'digest',
      key: 'mail:p:1',
      records: [{ key: 'e2', value: { text: 'again' } }],
    });
    expect(stopped).toMatchObject({
      event: 'stopped',
      counters: { digestsDelivered: 1, recordsDelivered: 1 },
    });

    expect(JSON.parse((await scratch.run(['inspect', 'mail:p:1', '--json'])).stdout)).toMatchObject(
      { size: 0 },
    );
  });

  it('runs until its signal aborts, then stops gracefully and exits 0', async () => {
    scratch.sqlite();
    await scratch.run(['add', 'k', '--value', '1', '--record-key', 'a']);
    await scratch.run(['add', 'k', '--value', '2', '--record-key', 'b']);
    const controller = new AbortController();
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: (text) => {
        stdout += text;
        // The waiting record was delivered: time to stop.
        if (stdout.includes('digest k')) controller.abort('SIGTERM');
      },
      stderr: (text) => {
        stderr += text;
      },
      env: {},
      cwd: scratch.dir,
      signal: controller.signal,
    };
    const code = await run(['worker', '--interval', '20'], io);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/digest k {2}1 record/);
    expect(stderr).toContain('Ctrl-C to stop');
    expect(stderr).toContain('received SIGTERM, stopping');
    expect(stderr).toMatch(/1 digest \/ 1 record delivered · 0 failed/);
  });
});
