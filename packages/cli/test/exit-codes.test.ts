import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../src/index.js';
import { Scratch } from './support.js';

let scratch: Scratch;
beforeEach(() => {
  scratch = new Scratch();
});
afterEach(() => scratch.cleanup());

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('exit codes and messages a script relies on', () => {
  it('worker --once exits 1 when its pass cannot reach the store, naming the store', async () => {
    const port = await closedPort();
    scratch.config({
      backend: 'redis',
      url: `redis://127.0.0.1:${port}`,
      options: { operationTimeout: 2000 },
    });
    const { code, stderr } = await scratch.run(['worker', '--once']);
    expect(code).toBe(EXIT.error);
    expect(stderr).toContain('worker --once: the pass could not reach the store');
    expect(stderr).toContain(`127.0.0.1:${port}`);
    expect(stderr).toContain('[DIGESTS_BACKEND_UNAVAILABLE]');
    // The status line counts store failures without contradicting the pass count.
    expect(stderr).toMatch(/1 pass · .* · store unreachable \d× \(maintenance or schedule\)/);
  });

  it('worker --once exits 0 when its pass reached the store', async () => {
    scratch.sqlite();
    const { code, stderr } = await scratch.run(['worker', '--once']);
    expect(code).toBe(EXIT.ok);
    expect(stderr).toMatch(
      /^worker: one pass on sqlite \(test\.db\): 0 due · 0 digests delivered · 0 failed\n/,
    );
  });

  it('a misspelled adapter field fails before anything opens, naming the field and the nearest name', async () => {
    scratch.config({ backend: 'redis', url: 'redis://127.0.0.1:6379', namespce: 'x' });
    const { code, stderr } = await scratch.run(['inspect', 'k']);
    expect(code).toBe(EXIT.error);
    expect(stderr).toContain(
      'config.namespce is not a field of a "redis" config — did you mean "namespace"?',
    );
    scratch.config({ backend: 'sqlite', filename: 'x.db', optoins: { minimumDelay: 1 } });
    expect((await scratch.run(['inspect', 'k'])).stderr).toContain(
      'config.optoins is not a field of a "sqlite" config — did you mean "options"?',
    );
  });

  it('an unknown backend lists the known ones and shows no internal path', async () => {
    scratch.config({ backend: 'reddis' });
    const { code, stderr } = await scratch.run(['inspect', 'k']);
    expect(code).toBe(EXIT.error);
    expect(stderr).toContain('no backend named "reddis" — did you mean "redis"? (known: ');
    const known = /known: ([^;)]*)/.exec(stderr)?.[1]?.split(', ') ?? [];
    expect([...known].sort()).toEqual(
      [
        'null',
        'poly',
        'fallback',
        'routing',
        'retrying',
        'memory',
        'sqlite',
        'postgres',
        'mysql',
        'redis',
      ].sort(),
    );
    expect(stderr).not.toMatch(/imported from|node_modules|\/src\//);
  });

  it('invalid JSON in the config names the line and column', async () => {
    const path = scratch.config({});
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, '{\n  "backend": "memory",\n}\n');
    const { code, stderr } = await scratch.run(['inspect', 'k']);
    expect(code).toBe(EXIT.error);
    expect(stderr).toContain(
      'digests.config.json:3:1 is not valid JSON: Expected double-quoted property name',
    );
  });

  it('minimumDelay greater than maximumDelay is rejected with the reason', async () => {
    scratch.config({ backend: 'memory', options: { minimumDelay: 600_000, maximumDelay: 60_000 } });
    const { code, stderr } = await scratch.run(['inspect', 'k']);
    expect(code).toBe(EXIT.error);
    expect(stderr).toContain(
      'config.options.minimumDelay (600000) must not exceed maximumDelay (60000)',
    );
  });
});
