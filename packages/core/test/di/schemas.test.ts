import {
  type BackendFactory,
  ConfigurationError,
  configJsonSchema,
  createDigestsContainer,
  defineBackendFactory,
  keyOptionsFromRules,
  nearestName,
  validateConfig,
  z,
} from '@digests/core';
import { backendFactory as memory } from '@digests/memory';
import { backendFactory as redis } from '@digests/redis';
import { backendFactory as sqlite } from '@digests/sqlite';
import { describe, expect, it } from 'vitest';

const factories: readonly BackendFactory[] = [memory, sqlite, redis];

function messageOf(config: unknown): string {
  try {
    validateConfig(config, factories);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('adapter schemas', () => {
  it.each([
    [
      { backend: 'sqlite', filename: 'a.db', optoins: { minimumDelay: 1 } },
      'config.optoins is not a field of a "sqlite" config — did you mean "options"? (expected filename, busyTimeout, tablePrefix, autoMigrate, backend, options)',
    ],
    [
      { backend: 'redis', url: 'redis://127.0.0.1:6379', namespce: 'x' },
      'config.namespce is not a field of a "redis" config — did you mean "namespace"?',
    ],
    [
      {
        backend: 'fallback',
        primary: { backend: 'memory', colour: 1 },
        secondary: { backend: 'memory' },
      },
      'config.primary.colour is not a field of a "memory" config (expected backend, options)',
    ],
    [{ backend: 'sqlite' }, 'config.filename is required'],
    [
      { backend: 'redis', port: 70000 },
      'config.port must be a port number from 1 to 65535, got 70000',
    ],
    [
      { backend: 'redis', url: 'localhost:6379' },
      'config.url must be a redis:// or rediss:// URL, got "localhost:6379"',
    ],
    [
      { backend: 'memory', options: { flushThreshold: 0 } },
      'config.options.flushThreshold must be an integer ≥ 1, got 0',
    ],
    [
      { backend: 'memory', options: { operationTimeout: -5 } },
      'config.options.operationTimeout must be a positive number of milliseconds, got -5',
    ],
    [
      { backend: 'memory', options: { minimumDelay: 10, maximumDelay: 5 } },
      'config.options.minimumDelay (10) must not exceed maximumDelay (5)',
    ],
    [
      { backend: 'memory', worker: { keys: [{ prefix: 'a', windw: {} }] } },
      'config.worker.keys[0].windw is not a worker key option — did you mean "window"?',
    ],
    [
      {
        backend: 'memory',
        worker: {
          keys: [{ prefix: 'a', window: { cron: '0 9 * * 1-5', timeZone: 'Mars/Olympus' } }],
        },
      },
      'config.worker.keys[0].window',
    ],
  ])('%j → %s', (config, message) => {
    expect(messageOf(config)).toContain(message);
  });

  it('accepts every BackendOptions key, a $schema and a worker section at the root', () => {
    const config = {
      $schema: './digests.schema.json',
      backend: 'memory',
      options: {
        minimumDelay: 1,
        incrementDelay: 1,
        maximumDelay: 10,
        capacity: 5,
        truncationChance: 0.5,
        ttl: 100,
        leaseDuration: 1000,
        flushThreshold: 3,
        operationTimeout: 500,
        maxValueSize: 1024,
        codec: 'compressed-json',
      },
      worker: {
        interval: 1000,
        concurrency: 2,
        maintenanceAge: 0,
        keys: [{ prefix: 'mail:b:', window: { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' } }],
      },
    };
    expect(validateConfig(config, factories)).toBe(config);
    expect(
      messageOf({
        backend: 'fallback',
        primary: { backend: 'memory', $schema: 'x' },
        secondary: { backend: 'memory' },
      }),
    ).toContain('config.primary.$schema is not a field of a "memory" config');
  });

  it('Redis takes host/port/tls/db instead of a url, never both', async () => {
    expect(() =>
      redis.create({ host: 'h', port: 6380, tls: true, db: 2, url: 'redis://x' }, {}, 'p'),
    ).toThrow('p.host cannot be combined with p.url');
    const backend = (await redis.create(
      { host: '127.0.0.1', port: 6390, tls: false, db: 1 },
      {},
      'p',
    )) as unknown as {
      close(): Promise<void>;
    };
    await backend.close();
  });

  it('the container checks every adapter before building any', async () => {
    const built: string[] = [];
    const counting = defineBackendFactory({
      name: 'counting',
      configSchema: z.strictObject({ label: z.string() }),
      create: ({ label }, options) => {
        built.push(label);
        return memory.create({}, options, 'x');
      },
    });
    await expect(
      createDigestsContainer(
        {
          backend: 'poly',
          backends: [
            { backend: 'counting', label: 'a' },
            { backend: 'counting', lable: 'b' },
          ],
        },
        { factories: [counting] },
      ),
    ).rejects.toThrow(
      'config.backends[1].lable is not a field of a "counting" config — did you mean "label"?',
    );
    expect(built).toEqual([]);
  });
});

describe('the JSON Schema', () => {
  it('is generated from the same schemas: containers, adapters, options, worker', () => {
    const schema = configJsonSchema(factories) as {
      oneOf: { properties: Record<string, unknown>; additionalProperties: boolean }[];
      $defs: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(schema.oneOf.map((v) => (v.properties.backend as { const: string }).const)).toEqual([
      'null',
      'poly',
      'fallback',
      'routing',
      'retrying',
      'memory',
      'sqlite',
      'redis',
    ]);
    expect(schema.oneOf.every((v) => v.additionalProperties === false)).toBe(true);
    expect(Object.keys(schema.$defs.options!.properties!)).toContain('flushThreshold');
    expect(Object.keys(schema.$defs.worker!.properties!)).toEqual([
      'interval',
      'concurrency',
      'maintenanceAge',
      'keys',
    ]);
    const redisNode = schema.oneOf.find(
      (v) => (v.properties.backend as { const: string }).const === 'redis',
    )!;
    expect(Object.keys(redisNode.properties)).toEqual(
      expect.arrayContaining([
        'url',
        'host',
        'port',
        'tls',
        'db',
        'namespace',
        'shards',
        'options',
        '$schema',
        'worker',
      ]),
    );
  });
});

describe('helpers', () => {
  it('nearestName finds likely typos only', () => {
    expect(nearestName('namespce', ['url', 'namespace'])).toBe('namespace');
    expect(nearestName('tableprefix', ['tablePrefix'])).toBe('tablePrefix');
    expect(nearestName('colour', ['url', 'namespace'])).toBeUndefined();
  });

  it('keyOptionsFromRules: the longest matching prefix wins', async () => {
    const source = keyOptionsFromRules([
      { prefix: '', minimumDelay: 1 },
      { prefix: 'mail:', minimumDelay: 2 },
      { prefix: 'mail:muted:', enabled: false },
    ]);
    expect(await source.forKey('sms:1')).toEqual({ enabled: true, minimumDelay: 1 });
    expect(await source.forKey('mail:1')).toEqual({ enabled: true, minimumDelay: 2 });
    expect(await source.forKey('mail:muted:1')).toEqual({ enabled: false });
    expect(await keyOptionsFromRules([]).forKey('x')).toEqual({ enabled: true });
  });
});
