import { BackendClosedError, BackendUnavailableError, LeaseConflictError } from '@digests/core';
import {
  connectionReason,
  isNoScript,
  isTransient,
  RedisBackend,
  redactUrl,
  toBackendError,
} from '@digests/redis';
import { freeLoopbackPort } from '@digests/redis/testing';
import { Redis, ReplyError } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PrivateServer,
  requireRedisBinaries,
  startRedisServer,
} from './support/redis-servers.js';

function reply(message: string): Error {
  return new ReplyError(message) as Error;
}

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isTransient', () => {
  it.each([
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED')],
    ['connection reset', withCode('read ECONNRESET', 'ECONNRESET')],
    ['socket timeout', withCode('connect ETIMEDOUT', 'ETIMEDOUT')],
    ['LOADING', reply('LOADING Redis is loading the dataset in memory')],
    ['CLUSTERDOWN', reply('CLUSTERDOWN The cluster is down')],
    ['TRYAGAIN', reply('TRYAGAIN Multiple keys request during rehashing of slot')],
    ['ioredis command timeout', new Error('Command timed out')],
    ['ioredis closed connection', new Error('Connection is closed.')],
    [
      'ioredis retries exhausted',
      Object.assign(new Error('Reached the max retries per request limit'), {
        name: 'MaxRetriesPerRequestError',
      }),
    ],
    [
      'cluster redirections exhausted on CLUSTERDOWN',
      Object.assign(
        new Error(
          'Too many Cluster redirections. Last error: ReplyError: CLUSTERDOWN The cluster is down',
        ),
        { lastNodeError: reply('CLUSTERDOWN The cluster is down') },
      ),
    ],
    [
      'cluster redirections exhausted on a closed connection',
      new Error('Too many Cluster redirections. Last error: Error: Connection is closed.'),
    ],
    ['a MOVED the client could not follow', reply('MOVED 3999 127.0.0.1:7002')],
    ['an ASK the client could not follow', reply('ASK 3999 127.0.0.1:7002')],
    ['a replica that cannot answer yet', reply('MASTERDOWN Link with MASTER is down')],
    [
      'a transient failure wrapped as a cause',
      new Error('connection refused (Reached the max retries per request limit)', {
        cause: Object.assign(new Error('Reached the max retries per request limit'), {
          name: 'MaxRetriesPerRequestError',
        }),
      }),
    ],
    [
      'happy-eyeballs AggregateError',
      new AggregateError([withCode('connect ECONNREFUSED ::1:6379', 'ECONNREFUSED')], 'connect'),
    ],
  ])('%s is transient', (_, error) => {
    expect(isTransient(error)).toBe(true);
    const mapped = toBackendError(error);
    expect(mapped).toBeInstanceOf(BackendUnavailableError);
    expect((mapped as Error).cause).toBe(error);
  });

  it.each([
    ['a script error', reply('ERR user_script:3: Script attempted to access nonexistent global')],
    ['a wrong type', reply('WRONGTYPE Operation against a key holding the wrong kind of value')],
    ['NOSCRIPT (the script runner recovers from it)', reply('NOSCRIPT No matching script')],
    ['a plain Error', new Error('something else')],
    ['our own errors', new LeaseConflictError('held')],
    ['a non-error', 'ECONNREFUSED'],
    ['BUSYKEY (a data error, not BUSY)', reply('BUSYKEY Target key name already exists.')],
  ])('%s is not transient and passes through', (_, error) => {
    expect(isTransient(error)).toBe(false);
    expect(toBackendError(error)).toBe(error);
  });

  it('names the reason of a socket failure in plain words', () => {
    expect(connectionReason(withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))).toBe(
      'connection refused',
    );
    expect(
      connectionReason(new AggregateError([withCode('connect EHOSTUNREACH', 'EHOSTUNREACH')])),
    ).toBe('host unreachable');
    expect(connectionReason(new Error('Command timed out'))).toBeUndefined();
  });
});

describe('isNoScript: the script runner reloads on every form of NOSCRIPT', () => {
  it.each([
    ['a plain reply', reply('NOSCRIPT No matching script. Please use EVAL.')],
    [
      'wrapped by redirection exhaustion',
      new Error(
        'Too many Cluster redirections. Last error: ReplyError: NOSCRIPT No matching script',
      ),
    ],
    [
      'as the last node error',
      Object.assign(new Error('Too many Cluster redirections.'), {
        lastNodeError: reply('NOSCRIPT No matching script'),
      }),
    ],
  ])('%s', (_, error) => {
    expect(isNoScript(error)).toBe(true);
  });

  it('other errors are not NOSCRIPT', () => {
    expect(isNoScript(reply('ERR user_script:1: NOSCRIPTS are fine'))).toBe(false);
    expect(isNoScript('NOSCRIPT')).toBe(false);
  });
});

describe('descriptions never show a password', () => {
  it.each([
    ['redis://:secret@cache:6379/2', 'redis://cache:6379/2'],
    ['redis://user:secret@cache:6379', 'redis://user@cache:6379'],
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
  ])('%s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it('a backend names its store as `Redis at <url>`', async () => {
    const backend = new RedisBackend({ url: 'redis://:hunter2@127.0.0.1:1', namespace: 'desc' });
    expect(backend.store.description).toBe('Redis at redis://127.0.0.1:1');
    await backend.close();
  });
});

const binaries = await requireRedisBinaries();

describe.skipIf(!binaries)('against a private redis-server', () => {
  let server: PrivateServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a stopped server rejects BackendUnavailableError with the cause, in every operation', async () => {
    const victim = await startRedisServer();
    const backend = new RedisBackend({ url: victim.url, namespace: 'transient' });
    const record = { key: 'a', value: 1, timestamp: 1 };
    expect(await backend.add('k', record)).toBe(true);
    await victim.stop();

    const operations: [string, () => Promise<unknown>][] = [
      ['add', () => backend.add('k', record)],
      ['digest', () => backend.digest('k', () => undefined)],
      ['schedule', async () => backend.schedule(Date.now())[Symbol.asyncIterator]().next()],
      ['maintenance', () => backend.maintenance(Date.now())],
      ['flush', () => backend.flush('k')],
      ['delete', () => backend.delete('k')],
      ['inspect', () => backend.inspect('k')],
    ];
    for (const [name, operation] of operations) {
      const error = await operation().then(
        () => new Error(`${name} resolved`),
        (rejected: unknown) => rejected,
      );
      expect(error, name).toBeInstanceOf(BackendUnavailableError);
      expect((error as Error).cause, name).toBeInstanceOf(Error);
      expect(isTransient((error as Error).cause), name).toBe(true);
    }
    await backend.close();
  });

  it('an unreachable server is reported with its address and the reason', async () => {
    const port = await freeLoopbackPort(); // nobody listens there
    const backend = new RedisBackend({ url: `redis://:pw@127.0.0.1:${port}`, namespace: 'gone' });
    const error = await backend.inspect('k').catch((rejected: unknown) => rejected);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toMatch(
      new RegExp(`^Redis at redis://127\\.0\\.0\\.1:${port} is unavailable: connection refused`),
    );
    expect((error as Error).message).not.toContain('pw');
    await backend.close();
  });

  it('a server that stops answering times out as BackendUnavailableError', async () => {
    const client = new Redis(server.url, { commandTimeout: 200, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    const backend = new RedisBackend({ client, namespace: 'timeout' });
    await backend.inspect('k');
    server.process.kill('SIGSTOP');
    try {
      const error = await backend.inspect('k').catch((rejected: unknown) => rejected);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect(((error as Error).cause as Error).message).toBe('Command timed out');
    } finally {
      server.process.kill('SIGCONT');
    }
    client.disconnect();
  });

  it('data errors are not transient: a foreign value under our key rejects as is', async () => {
    const client = new Redis(server.url);
    const backend = new RedisBackend({ client, namespace: 'wrongtype', shards: 1 });
    await client.set('{wrongtype:0}:ready', 'not a sorted set');
    const error = await backend.add('k', { key: 'a', value: 1, timestamp: 1 }).catch((e) => e);
    expect(error).not.toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toMatch(/WRONGTYPE/);
    await client.quit();
  });

  it('close() quits a client it opened from a URL, and never one it was given', async () => {
    const given = new Redis(server.url);
    const borrowed = new RedisBackend({ client: given, namespace: 'close' });
    await borrowed.inspect('k');
    await borrowed.close();
    expect(given.status).toBe('ready');
    expect(await given.ping()).toBe('PONG');
    await given.quit();

    const owned = new RedisBackend({ url: server.url, namespace: 'close' });
    await owned.inspect('k');
    await owned.close();
    expect((owned.client as Redis).status).toBe('end');
    // After close, retrying cannot help: a typed error that is not transient.
    const error = await owned.inspect('k').catch((rejected: unknown) => rejected);
    expect(error).toBeInstanceOf(BackendClosedError);
    expect(error).not.toBeInstanceOf(BackendUnavailableError);
  });
});
