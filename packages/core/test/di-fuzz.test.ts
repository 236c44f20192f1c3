import {
  AdapterRegistry,
  type Backend,
  type BackendFactory,
  ConfigurationError,
  createDigestsContainer,
  disposeDigestsContainer,
  NullBackend,
  TOKENS,
} from '@digests/core';
import fc from 'fast-check';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';

// Random malformed DI configs: each must raise ConfigurationError naming a
// field path under the node that was broken, and leave nothing half-built
// (every adapter built so far closed, nothing bound in the container).

const SEED = Number(process.env.DIGESTS_FC_SEED ?? 20_240_709);
const RUNS = Number(process.env.DIGESTS_FC_RUNS ?? 300);

type Node = Record<string, unknown>;

/** An adapter factory that counts what it built and what was closed. */
function countingFactory() {
  const counts = { created: 0, closed: 0 };
  const factory: BackendFactory = {
    name: 'rec',
    create() {
      counts.created++;
      const backend = new NullBackend();
      let closed = false;
      backend.close = async () => {
        if (!closed) counts.closed++;
        closed = true;
      };
      return backend as Backend<unknown>;
    },
  };
  return { factory, counts };
}

/** A registry that knows only `rec` and never imports a package. */
function registryWith(factory: BackendFactory): AdapterRegistry {
  return new AdapterRegistry({
    factories: [factory],
    importer: async (specifier) => {
      throw new Error(`${specifier} is not installed in this test`);
    },
  });
}

// ------------------------------------------------------------ valid trees

const validOptions = fc.record(
  {
    minimumDelay: fc.nat(100_000),
    incrementDelay: fc.nat(10_000),
    // Never below a minimumDelay: a node setting both, the minimum greater, is rejected.
    maximumDelay: fc.integer({ min: 100_000, max: 1_000_000 }),
    capacity: fc.integer({ min: 1, max: 1_000 }),
    leaseDuration: fc.integer({ min: 1, max: 60_000 }),
    codec: fc.constantFrom('json', 'compressed-json'),
  },
  { requiredKeys: [] },
);
const withOptions = (node: Node, options: Node | undefined): Node =>
  options === undefined || Object.keys(options).length === 0 ? node : { ...node, options };

const validTree = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .option(validOptions, { nil: undefined })
      .map((options) => withOptions({ backend: 'rec' }, options)),
    fc.constant({ backend: 'null' }),
    fc
      .tuple(
        fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
        fc.option(validOptions, { nil: undefined }),
      )
      .map(([backends, options]) => withOptions({ backend: 'poly', backends }, options)),
    fc
      .record({
        primary: tie('node'),
        secondary: tie('node'),
        moveInterval: fc.option(fc.integer({ min: 1, max: 60_000 }), { nil: undefined }),
      })
      .map((node) =>
        Object.fromEntries(
          Object.entries({ backend: 'fallback', ...node }).filter(([, v]) => v !== undefined),
        ),
      ),
    fc
      .record({
        route: fc.oneof(
          fc.string({ maxLength: 5 }).map((prefix) => ({ prefix })),
          fc.constantFrom({ pattern: '^mail:' }, { pattern: 'x', flags: 'i' }),
        ),
        primary: tie('node'),
        secondary: tie('node'),
      })
      .map((node) => ({ backend: 'routing', ...node })),
    fc
      .record({
        inner: tie('node'),
        delays: fc.array(fc.nat(1_000), { minLength: 1, maxLength: 3 }),
        repeatLast: fc.boolean(),
      })
      .map((node) => ({ backend: 'retrying', ...node })),
  ),
})).node;

/** Every node of a tree with its path, outermost first. */
function nodesOf(node: Node, path = 'config'): { node: Node; path: string }[] {
  const all = [{ node, path }];
  for (const [field, value] of Object.entries(node)) {
    if (field === 'options' || field === 'route') continue;
    if (Array.isArray(value)) {
      value.forEach((child, i) => {
        if (typeof child === 'object' && child !== null)
          all.push(...nodesOf(child as Node, `${path}.${field}[${i}]`));
      });
    } else if (typeof value === 'object' && value !== null) {
      all.push(...nodesOf(value as Node, `${path}.${field}`));
    }
  }
  return all;
}

// ------------------------------------------------------------ mutations

/** Replaces the fields of `node` in place (the tree is a fresh clone). */
function replace(node: Node, fields: Node): void {
  for (const key of Object.keys(node)) delete node[key];
  Object.assign(node, fields);
}

const CHILD_FIELDS: Record<string, readonly string[]> = {
  poly: ['backends'],
  fallback: ['primary', 'secondary'],
  routing: ['route', 'primary', 'secondary'],
  retrying: ['inner', 'delays'],
};

type Mutation = { readonly name: string; apply(node: Node, pick: number): void };

const badOptionValue: readonly [string, unknown][] = [
  ['minimumDelay', -1],
  ['incrementDelay', '30s'],
  ['maximumDelay', null],
  ['capacity', 0],
  ['capacity', 1.5],
  ['truncationChance', 1.5],
  ['ttl', -1],
  ['leaseDuration', 0],
  ['codec', 'xml'],
  ['codec', 42],
  ['unknownOption', 1],
];

const MUTATIONS: readonly Mutation[] = [
  {
    name: 'not an object',
    apply: (node, pick) => {
      // Turn the node into a non-object by wrapping: its parent gets a bad value instead.
      const bad = ['memory', 42, null, true, [{ backend: 'rec' }]][pick % 5];
      replace(node, { backend: 'poly', backends: [bad] });
    },
  },
  {
    name: 'bad backend name',
    apply: (node, pick) => {
      const bad = ['', 'Memory', 'my store', 'a'.repeat(65), 7, null, undefined, ['rec'], {}][
        pick % 9
      ];
      if (bad === undefined) delete node.backend;
      else node.backend = bad;
    },
  },
  {
    name: 'unknown adapter',
    apply: (node, pick) => {
      replace(node, { backend: ['nosuch', 'redis-x', 'mongo'][pick % 3] });
    },
  },
  {
    name: 'unknown field on a container',
    apply: (node, pick) => {
      if (CHILD_FIELDS[node.backend as string] === undefined && node.backend !== 'null') {
        replace(node, { backend: 'null' });
      }
      node[['url', 'inner2', 'Backends', 'option'][pick % 4] as string] = 1;
    },
  },
  {
    name: 'missing required field',
    apply: (node, pick) => {
      const fields = CHILD_FIELDS[node.backend as string];
      if (fields === undefined) {
        replace(node, { backend: 'fallback', primary: { backend: 'rec' } });
        return;
      }
      delete node[fields[pick % fields.length] as string];
    },
  },
  {
    name: 'bad options',
    apply: (node, pick) => {
      const [field, value] = badOptionValue[pick % badOptionValue.length] as [string, unknown];
      // The bad value reaches an adapter: no descendant overrides it, and
      // the node is an adapter itself or has one under it. (A bad value no
      // adapter ever reads is the separate case below.)
      for (const { node: below } of nodesOf(node)) {
        if (typeof below.options === 'object' && below.options !== null) {
          delete (below.options as Node)[field];
        }
      }
      if (!nodesOf(node).some(({ node: n }) => n.backend === 'rec')) {
        replace(node, { backend: 'rec' });
      }
      node.options = { ...(node.options as Node | undefined), [field]: value };
    },
  },
  {
    name: 'options not an object',
    apply: (node, pick) => {
      node.options = ['fast', 1, null, [1]][pick % 4];
    },
  },
  {
    name: 'bad container field',
    apply: (node, pick) => {
      const bad: Node[] = [
        { backend: 'poly', backends: [] },
        { backend: 'poly', backends: { a: { backend: 'rec' } } },
        {
          backend: 'fallback',
          primary: { backend: 'rec' },
          secondary: { backend: 'rec' },
          moveInterval: 0,
        },
        {
          backend: 'fallback',
          primary: { backend: 'rec' },
          secondary: { backend: 'rec' },
          retryPrimaryAfter: 'soon',
        },
        {
          backend: 'routing',
          route: {},
          primary: { backend: 'rec' },
          secondary: { backend: 'rec' },
        },
        {
          backend: 'routing',
          route: { prefix: 'a', pattern: 'b' },
          primary: { backend: 'rec' },
          secondary: { backend: 'rec' },
        },
        {
          backend: 'routing',
          route: { pattern: '(' },
          primary: { backend: 'rec' },
          secondary: { backend: 'rec' },
        },
        {
          backend: 'routing',
          route: { pattern: 'a', flags: 'g' },
          primary: { backend: 'rec' },
          secondary: { backend: 'rec' },
        },
        {
          backend: 'routing',
          route: { prefix: 1 },
          primary: { backend: 'rec' },
          secondary: { backend: 'rec' },
        },
        {
          backend: 'routing',
          route: 'mail:',
          primary: { backend: 'rec' },
          secondary: { backend: 'rec' },
        },
        { backend: 'retrying', inner: { backend: 'rec' }, delays: [-1] },
        { backend: 'retrying', inner: { backend: 'rec' }, delays: 100 },
        { backend: 'retrying', inner: { backend: 'rec' }, delays: [1, Number.NaN] },
        { backend: 'retrying', inner: { backend: 'rec' }, delays: [], repeatLast: true },
        { backend: 'retrying', inner: { backend: 'rec' }, delays: [1], repeatLast: 'yes' },
      ];
      replace(node, bad[pick % bad.length] as Node);
    },
  },
  {
    name: 'contains itself',
    apply: (node, pick) => {
      if (pick % 2 === 0) replace(node, { backend: 'retrying', inner: node, delays: [1] });
      else replace(node, { backend: 'poly', backends: [{ backend: 'rec' }, node] });
    },
  },
];

const malformed = fc
  .tuple(validTree, fc.nat(), fc.nat(MUTATIONS.length - 1), fc.nat(1_000))
  .map(([tree, at, which, pick]) => {
    // A JSON copy: no subtree is shared (fc.constant hands out one instance).
    const clone = JSON.parse(JSON.stringify(tree)) as Node;
    const nodes = nodesOf(clone);
    const target = nodes[at % nodes.length] as { node: Node; path: string };
    const mutation = MUTATIONS[which] as Mutation;
    mutation.apply(target.node, pick);
    return { config: clone as unknown, path: target.path, mutation: mutation.name };
  });

/** Whether `message` names a field at or below `path`: `config.primary` then `.`, `[`, `:` or a space. */
function namesPathUnder(message: string, path: string): boolean {
  return message.startsWith(path) && /^[.[: ]/.test(message.slice(path.length));
}

describe('DI config fuzzing', () => {
  it(`random malformed configs raise ConfigurationError naming a field path, and build nothing (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(malformed, async ({ config, path, mutation }) => {
        const { factory, counts } = countingFactory();
        const container = new Container();
        const error = await createDigestsContainer(config, {
          registry: registryWith(factory),
          container,
        }).then(
          async (built) => {
            await disposeDigestsContainer(built);
            return 'built';
          },
          (e: unknown) => e,
        );
        const what = `${mutation} at ${path}`;
        expect(error, what).toBeInstanceOf(ConfigurationError);
        const message = (error as Error).message;
        expect(namesPathUnder(message, path), `${what}: "${message}"`).toBe(true);
        expect(counts.closed, `${what}: every adapter built before the failure is closed`).toBe(
          counts.created,
        );
        expect(container.isBound(TOKENS.Backend), `${what}: nothing bound`).toBe(false);
        expect(container.isBound(TOKENS.Config), `${what}: nothing bound`).toBe(false);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  // Out-of-range numbers are checked only where an adapter reads the merged
  // options, so a bad value that no adapter reads (a `null` subtree, or one
  // every adapter below overrides) was accepted. A config with `capacity: 0`
  // in it is malformed wherever it is written.
  it(`a bad option no adapter reads is still a ConfigurationError naming its path (seed ${SEED})`, async () => {
    const numeric = badOptionValue.filter(
      ([field, value]) => field !== 'codec' && typeof value === 'number',
    );
    const dead = fc
      .tuple(validTree, fc.nat(), fc.constantFrom(...numeric), fc.boolean())
      .map(([tree, at, [field, value], overridden]) => {
        const clone = JSON.parse(JSON.stringify(tree)) as Node;
        const nodes = nodesOf(clone);
        const target = nodes[at % nodes.length] as { node: Node; path: string };
        if (overridden) {
          // Every adapter below sets a valid value of its own.
          for (const { node } of nodesOf(target.node)) {
            if (node.backend === 'rec') node.options = { ...(node.options as Node), [field]: 1 };
          }
        } else {
          replace(target.node, { backend: 'null' });
        }
        target.node.options = { ...(target.node.options as Node), [field]: value };
        return { config: clone, path: target.path, field };
      });
    await fc.assert(
      fc.asyncProperty(dead, async ({ config, path, field }) => {
        const { factory } = countingFactory();
        const error = await createDigestsContainer(config, {
          registry: registryWith(factory),
        }).then(
          async (built) => {
            await disposeDigestsContainer(built);
            return 'built';
          },
          (e: unknown) => e,
        );
        expect(error, `${path}.options.${field}`).toBeInstanceOf(ConfigurationError);
        expect((error as Error).message).toContain(`${path}.options.${field}`);
      }),
      { numRuns: Math.ceil(RUNS / 3), seed: SEED },
    );
  });

  it(`random valid configs build, and disposing closes every adapter (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(validTree, async (config) => {
        const { factory, counts } = countingFactory();
        const container = await createDigestsContainer(config, { registry: registryWith(factory) });
        const adapters = nodesOf(config).filter(({ node }) => node.backend === 'rec').length;
        expect(counts.created).toBe(adapters);
        await disposeDigestsContainer(container);
        expect(counts.closed).toBe(adapters);
      }),
      { numRuns: Math.ceil(RUNS / 3), seed: SEED },
    );
  });
});
