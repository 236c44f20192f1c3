import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdapterRegistry,
  type Backend,
  type BackendFactory,
  type BackendOptions,
  ConfigurationError,
  createDigestsContainer,
  disposeDigestsContainer,
  FallbackBackend,
  loadConfig,
  NullBackend,
  PolyBackend,
  RetryingBackend,
  RoutingBackend,
  TOKENS,
} from '@digests/core';
import { MemoryBackend } from '@digests/memory';
import { describe, expect, it } from 'vitest';

/** A factory that records what it built and how often each was closed. */
function recordingFactory(name = 'rec') {
  const built: {
    config: Record<string, unknown>;
    options: BackendOptions<unknown>;
    path: string;
    closed: number;
  }[] = [];
  const factory: BackendFactory = {
    name,
    create(config, options, path) {
      const entry = { config: { ...config }, options, path, closed: 0 };
      built.push(entry);
      const backend = new MemoryBackend(options);
      const close = backend.close.bind(backend);
      backend.close = async () => {
        entry.closed++;
        await close();
      };
      return backend;
    },
  };
  return { factory, built };
}

describe('createDigestsContainer', () => {
  it('composes the tree a nested config describes and resolves it by token', async () => {
    const container = await createDigestsContainer({
      backend: 'retrying',
      inner: {
        backend: 'fallback',
        primary: { backend: 'poly', backends: [{ backend: 'memory' }, { backend: 'memory' }] },
        secondary: {
          backend: 'routing',
          route: { prefix: 'mail:' },
          primary: { backend: 'memory' },
          secondary: { backend: 'null' },
        },
      },
      delays: [10],
    });
    const backend = container.get<Backend>(TOKENS.Backend);
    expect(container.get(TOKENS.Backend)).toBe(backend);
    expect(backend).toBeInstanceOf(RetryingBackend);
    const fallback = (backend as RetryingBackend).backend as FallbackBackend;
    expect(fallback).toBeInstanceOf(FallbackBackend);
    expect(fallback.primary).toBeInstanceOf(PolyBackend);
    const poly = fallback.primary as PolyBackend;
    expect(poly.backends.map((b) => b.constructor.name)).toEqual([
      'MemoryBackend',
      'MemoryBackend',
    ]);
    const routing = fallback.secondary as RoutingBackend;
    expect(routing).toBeInstanceOf(RoutingBackend);
    expect(routing.route('mail:1')).toBeInstanceOf(MemoryBackend);
    expect(routing.route('sms:1')).toBeInstanceOf(NullBackend);
    expect(await backend.add('k', { key: 'a', value: 1, timestamp: 1 })).toBe(true);
    expect(await backend.digest('k', (records) => records.length)).toBe(1);
    expect(container.get(TOKENS.Config)).toMatchObject({ backend: 'retrying' });
    expect(container.get(TOKENS.Clock)).toBe(Date.now);
    await disposeDigestsContainer(container);
  });

  it('merges options down the tree (the nearest wins) and hands adapters the clock', async () => {
    const { factory, built } = recordingFactory();
    const clock = () => 42;
    const container = await createDigestsContainer(
      {
        backend: 'fallback',
        options: { minimumDelay: 1_000, capacity: 5, codec: 'compressed-json' },
        primary: { backend: 'rec', url: 'x', options: { minimumDelay: 2_000 } },
        secondary: { backend: 'rec' },
      },
      { factories: [factory], clock },
    );
    expect(built.map((b) => b.path)).toEqual(['config.primary', 'config.secondary']);
    expect(built[0]!.config).toEqual({
      backend: 'rec',
      url: 'x',
      options: { minimumDelay: 2_000 },
    });
    expect(built[0]!.options).toMatchObject({ minimumDelay: 2_000, capacity: 5, clock });
    expect(built[1]!.options).toMatchObject({ minimumDelay: 1_000, capacity: 5, clock });
    expect(built[1]!.options.codec?.name).toBe('json+deflate');
    expect(container.get(TOKENS.Clock)).toBe(clock);
    await disposeDigestsContainer(container);
  });

  it('names the node when merged options do not fit together', async () => {
    const { factory } = recordingFactory();
    await expect(
      createDigestsContainer(
        {
          backend: 'poly',
          options: { maximumDelay: 10_000 },
          backends: [{ backend: 'rec', options: { ttl: 5 } }],
        },
        { factories: [factory] },
      ),
    ).rejects.toThrow(
      /^config\.backends\[0\]\.options\.ttl must be a finite number greater than maximumDelay/,
    );
  });

  it('disposing the container closes every backend in the tree once', async () => {
    const { factory, built } = recordingFactory();
    const container = await createDigestsContainer(
      {
        backend: 'poly',
        backends: [
          { backend: 'rec' },
          { backend: 'retrying', inner: { backend: 'rec' }, delays: [1] },
        ],
      },
      { factories: [factory] },
    );
    expect(built.map((b) => b.closed)).toEqual([0, 0]);
    await disposeDigestsContainer(container);
    expect(built.map((b) => b.closed)).toEqual([1, 1]);
    expect(container.isBound(TOKENS.Backend)).toBe(false);
  });

  it('unbinding the backend token closes it too', async () => {
    const { factory, built } = recordingFactory();
    const container = await createDigestsContainer({ backend: 'rec' }, { factories: [factory] });
    await container.unbind(TOKENS.Backend);
    expect(built[0]!.closed).toBe(1);
  });

  it('a node that fails to build closes the ones already built', async () => {
    const { factory, built } = recordingFactory();
    const failing: BackendFactory = {
      name: 'strict',
      create: (config, _options, path) => {
        throw new ConfigurationError(`${path}.url must be a string, got ${typeof config.url}`);
      },
    };
    await expect(
      createDigestsContainer(
        {
          backend: 'fallback',
          primary: { backend: 'rec' },
          secondary: { backend: 'strict', url: 5 },
        },
        { factories: [factory, failing] },
      ),
    ).rejects.toThrow('config.secondary.url must be a string, got number');
    expect(built[0]!.closed).toBe(1);
  });

  it("an adapter's own factory names the bad field (the real @digests/redis, found by name)", async () => {
    await expect(
      createDigestsContainer({
        backend: 'fallback',
        primary: { backend: 'redis', url: 6379 },
        secondary: { backend: 'memory' },
      }),
    ).rejects.toThrow('config.primary.url must be a string');
  });

  it('finds adapters by name by importing @digests/<name>, once', async () => {
    const imported: string[] = [];
    const registry = new AdapterRegistry({
      importer: async (specifier) => {
        imported.push(specifier);
        return import(specifier);
      },
    });
    const container = await createDigestsContainer(
      { backend: 'poly', backends: [{ backend: 'memory' }, { backend: 'memory' }] },
      { registry },
    );
    expect(imported).toEqual(['@digests/memory']);
    await disposeDigestsContainer(container);
    await expect(createDigestsContainer({ backend: 'nonexistent-store' })).rejects.toThrow(
      'config.backend: no backend named "nonexistent-store" (known: null, poly, fallback, routing, retrying, memory, sqlite, postgres, mysql, redis; for another adapter install @digests/nonexistent-store',
    );
    const empty = new AdapterRegistry({ importer: async () => ({}) });
    await expect(empty.get('memory', 'config.primary')).rejects.toThrow(
      'config.primary.backend: @digests/memory does not export a backendFactory named "memory"',
    );
  });
});

describe('loadConfig', () => {
  it('reads and validates a JSON file, naming the file or the field when it is wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'digests-config-'));
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify({ backend: 'memory', options: { minimumDelay: 60_000 } }));
    expect(await loadConfig(good)).toEqual({
      backend: 'memory',
      options: { minimumDelay: 60_000 },
    });
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ "backend": ');
    await expect(loadConfig(broken)).rejects.toThrow(
      `${broken}:1:14 is not valid JSON: Unexpected end of JSON input`,
    );
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ backend: 'fallback', primary: { backend: 'memory' } }));
    await expect(loadConfig(bad)).rejects.toThrow('config.secondary is required');
    await expect(loadConfig(join(dir, 'missing.json'))).rejects.toBeInstanceOf(ConfigurationError);
  });
});
