import { ConfigurationError, checkRoute, validateConfig } from '@digests/core';
import { describe, expect, it } from 'vitest';

const memory = { backend: 'memory' };

function messageOf(config: unknown): string {
  try {
    validateConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('validateConfig', () => {
  it('accepts the documented example and nested containers', () => {
    const config = {
      backend: 'fallback',
      primary: { backend: 'redis', url: 'redis://127.0.0.1:6379' },
      secondary: { backend: 'sqlite', filename: 'digests.db' },
      options: { minimumDelay: 60000 },
    };
    expect(validateConfig(config)).toBe(config);
    const nested = {
      backend: 'retrying',
      inner: {
        backend: 'fallback',
        primary: { backend: 'poly', backends: [memory, memory] },
        secondary: {
          backend: 'routing',
          route: { prefix: 'mail:' },
          primary: memory,
          secondary: { backend: 'null' },
        },
        moveInterval: 60_000,
      },
      delays: [100, 1000],
      repeatLast: true,
    };
    expect(validateConfig(nested)).toBe(nested);
  });

  it.each([
    [null, 'config must be an object like { "backend": "memory" }'],
    [{}, 'config.backend is required'],
    [{ backend: '../evil' }, 'config.backend must name a backend'],
    [{ backend: 'fallback', primary: memory }, 'config.secondary is required'],
    [
      { backend: 'fallback', primary: memory, secondary: memory, secundary: memory },
      'config.secundary is not a field of a "fallback" config',
    ],
    [
      { backend: 'fallback', primary: memory, secondary: 'sqlite' },
      'config.secondary must be an object',
    ],
    [
      { backend: 'fallback', primary: { backend: 'poly', backends: [] }, secondary: memory },
      'config.primary.backends must be a non-empty array',
    ],
    [
      { backend: 'poly', backends: [memory, { backend: 7 }] },
      'config.backends[1].backend must name a backend',
    ],
    [
      { backend: 'fallback', primary: memory, secondary: memory, moveInterval: -1 },
      'config.moveInterval must be a positive number of milliseconds, got -1',
    ],
    [{ backend: 'retrying', inner: memory }, 'config.delays is required'],
    [
      { backend: 'retrying', inner: memory, delays: [1, 'x'] },
      'config.delays[1] must be a finite number ≥ 0',
    ],
    [
      { backend: 'retrying', inner: memory, delays: [], repeatLast: true },
      'config.delays must not be empty when repeatLast is set',
    ],
    [
      { backend: 'retrying', inner: memory, delays: [1], repeatLast: 'yes' },
      'config.repeatLast must be a boolean',
    ],
    [{ backend: 'routing', primary: memory, secondary: memory }, 'config.route is required'],
    [
      { backend: 'routing', route: { prefix: 1 }, primary: memory, secondary: memory },
      'config.route.prefix must be a string',
    ],
    [
      { backend: 'routing', route: { pattern: '(' }, primary: memory, secondary: memory },
      'config.route.pattern is not a valid regular expression',
    ],
    [
      {
        backend: 'routing',
        route: { pattern: 'a', flags: 'g' },
        primary: memory,
        secondary: memory,
      },
      'config.route.flags must be a string of regular-expression flags without g or y',
    ],
    [
      {
        backend: 'routing',
        route: { prefix: 'a', pattern: 'b' },
        primary: memory,
        secondary: memory,
      },
      'config.route needs exactly one of prefix and pattern',
    ],
    [
      { backend: 'memory', options: { minimumDelai: 5 } },
      'config.options.minimumDelai is not a backend option',
    ],
    [
      { backend: 'memory', options: { minimumDelay: '5m' } },
      'config.options.minimumDelay must be a finite number ≥ 0, got "5m"',
    ],
    [
      { backend: 'null', options: { minimumDelay: -1 } },
      'config.options.minimumDelay must be a finite number ≥ 0, got -1',
    ],
    [
      {
        backend: 'poly',
        options: { capacity: 0 },
        backends: [{ backend: 'memory', options: { capacity: 5 } }],
      },
      'config.options.capacity must be an integer ≥ 1, got 0',
    ],
    [
      { backend: 'memory', options: { codec: 'yaml' } },
      'config.options.codec must be one of json, compressed-json, got "yaml"',
    ],
    [
      { backend: 'fallback', primary: { backend: 'memory', options: [] }, secondary: memory },
      'config.primary.options must be an object',
    ],
  ])('%j → %s', (config, message) => {
    expect(messageOf(config)).toContain(message);
  });

  it('rejects a cycle but accepts a subtree used twice', () => {
    const loop: Record<string, unknown> = { backend: 'poly' };
    loop.backends = [loop];
    expect(messageOf(loop)).toBe('config.backends[0] contains itself');
    const shared = { backend: 'memory' };
    expect(() => validateConfig({ backend: 'poly', backends: [shared, shared] })).not.toThrow();
  });
});

describe('checkRoute', () => {
  it('turns a declarative route into a predicate', () => {
    expect(checkRoute({ prefix: 'mail:' }, 'r')('mail:1')).toBe(true);
    expect(checkRoute({ prefix: 'mail:' }, 'r')('sms:1')).toBe(false);
    const pattern = checkRoute({ pattern: '^(mail|sms):', flags: 'i' }, 'r');
    expect([pattern('SMS:1'), pattern('SMS:2'), pattern('push:1')]).toEqual([true, true, false]);
    const fn = (key: string) => key === 'x';
    expect(checkRoute(fn, 'r')).toBe(fn);
  });
});

describe('the documented configs', () => {
  it('every JSON config in di/README.md is valid', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../src/di/README.md', import.meta.url), 'utf8');
    const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) expect(() => validateConfig(JSON.parse(block))).not.toThrow();
  });
});
