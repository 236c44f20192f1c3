import { ConfigurationError } from '@digests/core';
import { backendFactory, DEFAULT_REDIS_URL, RedisBackend } from '@digests/redis';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

describe('RedisBackend options', () => {
  // A lazy client never connects: these cases must fail before any I/O.
  const client = new Redis({ lazyConnect: true });

  it.each([
    ['a namespace with a colon', { namespace: 'a:b' }, /namespace/],
    ['a namespace with braces', { namespace: '{a}' }, /namespace/],
    ['a namespace with glob characters', { namespace: 'a*' }, /namespace/],
    ['an empty namespace', { namespace: '' }, /namespace/],
    ['a non-string namespace', { namespace: 7 as unknown as string }, /namespace/],
    ['zero shards', { shards: 0 }, /shards/],
    ['fractional shards', { shards: 1.5 }, /shards/],
    ['too many shards', { shards: 5_000 }, /shards/],
    ['a bad shared option', { capacity: 0 }, /capacity/],
    ['client and url together', { url: DEFAULT_REDIS_URL }, /either client or url/],
    ['a client that is not ioredis', { client: {} as Redis }, /client/],
  ])('rejects %s with ConfigurationError, synchronously', (_, options, message) => {
    expect(() => new RedisBackend({ client, ...options })).toThrow(ConfigurationError);
    expect(() => new RedisBackend({ client, ...options })).toThrow(message);
  });

  it('accepts the plain namespace characters', () => {
    const backend = new RedisBackend({ client, namespace: 'Mail_v2.prod-1', shards: 1024 });
    expect(backend.namespace).toBe('Mail_v2.prod-1');
    expect(backend.client).toBe(client);
  });
});

describe('backendFactory', () => {
  it('is named redis', () => {
    expect(backendFactory.name).toBe('redis');
  });

  it.each([
    ['url', { url: 42 }, 'primary.url must be a string'],
    ['namespace', { namespace: ['d'] }, 'primary.namespace must be a string'],
    ['shards', { shards: '16' }, 'primary.shards must be an integer'],
    ['namespace charset', { namespace: 'a:b' }, 'primary.namespace must be 1–64 characters'],
    ['shards range', { shards: 0 }, 'primary.shards must be an integer from 1 to 1024'],
  ])('names the bad field (%s) under its path', (_, config, message) => {
    expect(() => backendFactory.create({ backend: 'redis', ...config }, {}, 'primary')).toThrow(
      ConfigurationError,
    );
    expect(() => backendFactory.create({ backend: 'redis', ...config }, {}, 'primary')).toThrow(
      message,
    );
  });

  it('builds a backend that owns a connection to its url', async () => {
    const backend = (await backendFactory.create(
      { backend: 'redis', url: 'redis://127.0.0.1:1', namespace: 'factory', shards: 2 },
      { minimumDelay: 5 },
      'root',
    )) as RedisBackend;
    expect(backend).toBeInstanceOf(RedisBackend);
    expect(backend.namespace).toBe('factory');
    await backend.close();
  });
});
