import { z } from 'zod';
import type { BackendFactory } from '../backend-factory.js';
import { named } from './config-issue.js';
import { countOf, milliseconds, optionsSchema, positiveMilliseconds } from './options-config.js';
import { routeSchema } from './route.js';

/** What `backend` may name: a container kind or an adapter (`memory`, `my-store`). */
export const ADAPTER_NAME = /^[a-z][a-z0-9-]{0,63}$/;

const KIND_MESSAGE =
  'must name a backend (null, poly, fallback, routing, retrying or an adapter such as memory, redis, sqlite, postgres, mysql)';

const kindSchema = z
  .string({ error: KIND_MESSAGE })
  .regex(ADAPTER_NAME, { error: KIND_MESSAGE })
  .describe('the kind of this node: a container or an adapter');

const options = optionsSchema
  .optional()
  .describe('backend options; inherited by every node below (a child’s own override)');

/**
 * The five container kinds' schemas, with `node` as the schema of a child
 * node: a placeholder when checking one node at a time (children are
 * checked in turn, with their own path), or the whole recursive union when
 * generating the JSON Schema.
 *
 * @example
 * ```ts
 * const { fallback } = containerSchemas(z.looseObject({}));
 * fallback.parse({ backend: 'fallback', primary: {}, secondary: {} });
 * ```
 */
export function containerSchemas(node: z.ZodType, route: z.ZodType = routeOrFunction) {
  const container = <S extends z.ZodRawShape>(kind: string, shape: S, description: string) =>
    named(
      z.strictObject({ backend: z.literal(kind), ...shape, options }).describe(description),
      `a field of a "${kind}" config`,
    );
  return {
    null: container('null', {}, 'accepts everything, stores nothing'),
    poly: container(
      'poly',
      {
        backends: z
          .array(node, { error: 'must be a non-empty array of backends' })
          .min(1, { error: 'must be a non-empty array of backends' })
          .describe('every write goes to each of these'),
      },
      'every write to every backend; reads merge',
    ),
    fallback: container(
      'fallback',
      {
        primary: node.describe('where writes go'),
        secondary: node.describe('where writes go while the primary is unavailable'),
        moveInterval: positiveMilliseconds(
          'run the mover (secondary → primary) this often; default: only on moveBack()',
        ).optional(),
        retryPrimaryAfter: positiveMilliseconds(
          'skip a primary that failed for this long; default 0: always try it',
        ).optional(),
      },
      'writes to the primary, on a transient failure to the secondary; reads merge',
    ),
    routing: container(
      'routing',
      {
        route: route.describe('keys it matches go to the primary, the others to the secondary'),
        primary: node,
        secondary: node,
      },
      'each timeline lives in one of two backends, chosen by its key',
    ),
    retrying: container(
      'retrying',
      {
        inner: node.describe('the wrapped backend'),
        delays: z
          .array(milliseconds('a wait before a retry (ms)'), {
            error: 'must be an array of numbers',
          })
          .describe('waits before each retry of a transient failure (ms)'),
        repeatLast: z
          .boolean({ error: 'must be a boolean' })
          .describe('after the last delay, keep retrying with it')
          .optional(),
      },
      'retries transient failures of the inner backend',
    ),
  };
}

const ROUTE_MESSAGE =
  'must be { "prefix": "…" } or { "pattern": "…" } (or a function in a JS config)';

const routeOrFunction = z.union(
  [routeSchema, z.custom<(key: string) => boolean>((value) => typeof value === 'function')],
  { error: ROUTE_MESSAGE },
);

/**
 * A `route` as the node-by-node check takes it: an object or a function,
 * whose fields `checkRoute` then checks with their own path.
 *
 * @example
 * ```ts
 * containerSchemas(z.looseObject({}), anyRoute);
 * ```
 */
export const anyRoute = z.custom<object>(
  (value) =>
    typeof value === 'function' ||
    (typeof value === 'object' && value !== null && !Array.isArray(value)),
  { error: ROUTE_MESSAGE },
);

/** The container kinds a config can name; any other name is an adapter. */
export const CONTAINER_KINDS = Object.freeze([
  'null',
  'poly',
  'fallback',
  'routing',
  'retrying',
] as const);

const adapterNodes = new WeakMap<BackendFactory, z.ZodObject>();

/**
 * The schema of a node naming the adapter `factory`: its `configSchema`
 * plus `backend` and `options`. Without a `configSchema`, any other field
 * passes (the factory checks them itself).
 *
 * @example
 * ```ts
 * adapterNodeSchema(redisFactory).parse({ backend: 'redis', url: 'redis://127.0.0.1:6379' });
 * ```
 */
export function adapterNodeSchema(factory: BackendFactory): z.ZodObject {
  let schema = adapterNodes.get(factory);
  if (schema === undefined) {
    const own = { backend: z.literal(factory.name), options };
    schema = named(
      factory.configSchema === undefined ? z.looseObject(own) : factory.configSchema.extend(own),
      `a field of a "${factory.name}" config`,
    );
    adapterNodes.set(factory, schema);
  }
  return schema;
}

/**
 * A node naming an adapter not known yet (it is imported when the tree is
 * built, and checked then).
 *
 * @example
 * ```ts
 * unknownAdapterSchema.parse({ backend: 'my-store', anything: 1 });
 * ```
 */
export const unknownAdapterSchema = z.looseObject({ backend: kindSchema, options });

/**
 * A calendar window in a worker key rule: deliver at the next occurrence of
 * `cron` in `timeZone` (checked further by `checkCalendarWindow`).
 *
 * @example
 * ```ts
 * windowSchema.parse({ cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' });
 * ```
 */
export const windowSchema = named(
  z
    .strictObject({
      cron: z
        .string({ error: 'must be a cron expression such as "0 9 * * 1-5"' })
        .describe('when to deliver, e.g. "0 9 * * 1-5" (weekdays 09:00)'),
      timeZone: z
        .string({ error: 'must be an IANA time zone such as "Europe/Berlin"' })
        .describe('the IANA time zone cron is read in, e.g. "Europe/Berlin"'),
      holdFirst: z
        .boolean({ error: 'must be a boolean' })
        .describe('hold the first event of a quiet key for the window too (default true)')
        .optional(),
    })
    .describe('deliver at the next occurrence of cron in timeZone'),
  'a calendar window field',
);

/**
 * One per-key rule of the worker: keys starting with `prefix` (the longest
 * matching prefix wins) get these `KeyOptions`.
 *
 * @example
 * ```ts
 * keyRuleSchema.parse({ prefix: 'mail:team-b:', window: { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' } });
 * ```
 */
export const keyRuleSchema = named(
  z.strictObject({
    prefix: z
      .string({ error: 'must be a string' })
      .describe('keys starting with this; the longest matching prefix wins ("" matches every key)'),
    enabled: z
      .boolean({ error: 'must be a boolean' })
      .describe('false: records are kept, nothing is delivered')
      .optional(),
    minimumDelay: milliseconds('minimumDelay for these keys (ms)').optional(),
    incrementDelay: milliseconds('incrementDelay for these keys (ms)').optional(),
    maximumDelay: milliseconds('maximumDelay for these keys (ms)').optional(),
    window: windowSchema.optional(),
  }),
  'a worker key option',
);

/**
 * The root's `worker` section: how `digests worker` (or any `DigestWorker`
 * built from the config) runs, and per-key rules.
 *
 * @example
 * ```ts
 * workerSchema.parse({ interval: 10_000, keys: [{ prefix: 'mail:', minimumDelay: 60_000 }] });
 * ```
 */
export const workerSchema = named(
  z
    .strictObject({
      interval: positiveMilliseconds('between passes (ms, default 10000)').optional(),
      concurrency: countOf('digests at once (default 4)').optional(),
      maintenanceAge: milliseconds(
        'ready keys older than this go back to the schedule (ms, default 300000)',
      ).optional(),
      keys: z
        .array(keyRuleSchema, { error: 'must be an array of key rules' })
        .describe('per-key rules')
        .optional(),
    })
    .describe('how a worker runs on this store'),
  'a worker field',
);

/** Fields only the root of a config may have. */
export const rootFields = {
  $schema: z
    .string({ error: 'must be a string' })
    .describe('the JSON Schema editors use for this file')
    .optional(),
  worker: workerSchema.optional(),
};

/**
 * The whole config tree as one schema: the containers and the given
 * adapters, recursively; the root may also carry `$schema` and `worker`.
 * It is what the JSON Schema file is generated from; given a `registry`,
 * the recursive node is registered in it as `node` (a `$defs` entry).
 *
 * @example
 * ```ts
 * const schema = configSchema([memoryFactory, redisFactory]);
 * schema.parse({ backend: 'fallback', primary: { backend: 'redis' }, secondary: { backend: 'memory' } });
 * ```
 */
export function configSchema(
  factories: readonly BackendFactory[],
  registry?: z.core.$ZodRegistry<{ id?: string }>,
): z.ZodType {
  let union: z.ZodType | undefined;
  // One union object, made once: recursion is found by identity.
  const node: z.ZodType = z.lazy(() => (union ??= z.discriminatedUnion('backend', variants)));
  registry?.add(node, { id: 'node' });
  const variants = [
    ...Object.values(containerSchemas(node)),
    ...factories.map(adapterNodeSchema),
  ] as [z.ZodObject, ...z.ZodObject[]];
  const root = variants.map((variant) => variant.extend(rootFields));
  return z.discriminatedUnion('backend', root as unknown as [z.ZodObject, ...z.ZodObject[]]);
}
