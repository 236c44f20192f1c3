import type { ConformanceTarget } from '@digests/conformance';
import type { Backend, BackendOptions } from '@digests/core';
import {
  CircuitBreakerBackend,
  FallbackBackend,
  PolyBackend,
  RetryingBackend,
  RoutingBackend,
} from '@digests/core';
import { FaultyBackend } from '@digests/core/testing';
import { MemoryBackend } from '@digests/memory';

/** The memory backends each container was built over, to count what they store. */
const innerOf = new WeakMap<Backend<unknown>, MemoryBackend[]>();

/** Routes by a hash of the key, so the conformance keys spread over both backends. */
export function byHash(key: string): boolean {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return (hash & 1) === 0;
}

/** No real waits in tests. */
export const noSleep = async (): Promise<void> => {};

function target(
  name: string,
  build: (memory: () => MemoryBackend) => Backend<unknown>,
): ConformanceTarget {
  return {
    name,
    create: async (options: BackendOptions<unknown>) => {
      const inner: MemoryBackend[] = [];
      const container = build(() => {
        const backend = new MemoryBackend(options);
        inner.push(backend);
        return backend;
      });
      innerOf.set(container, inner);
      return container;
    },
    storedItems: async (backend) => {
      const counts = await Promise.all((innerOf.get(backend) ?? []).map((m) => m.storedItems()));
      return counts.reduce((total, count) => total + count, 0);
    },
  };
}

/** Every container composed over memory backends, as conformance targets. */
export const containerTargets: readonly ConformanceTarget[] = [
  target('poly of 2 memory', (memory) => new PolyBackend([memory(), memory()])),
  target(
    'fallback memory → memory',
    (memory) => new FallbackBackend({ primary: memory(), secondary: memory() }),
  ),
  target(
    'routing memory | memory',
    (memory) => new RoutingBackend({ predicate: byHash, primary: memory(), secondary: memory() }),
  ),
  target(
    'retrying memory',
    (memory) => new RetryingBackend({ backend: memory(), delays: [0, 0], sleep: noSleep }),
  ),
  target(
    'circuit breaker(memory)',
    (memory) => new CircuitBreakerBackend({ backend: memory(), cooldown: 1_000 }),
  ),
  // Healthy, the fault injector must be invisible.
  target('faulty(memory)', (memory) => new FaultyBackend(memory())),
  target(
    'retrying(fallback(poly(memory, memory), routing(memory | memory)))',
    (memory) =>
      new RetryingBackend({
        backend: new FallbackBackend({
          primary: new PolyBackend([memory(), memory()]),
          secondary: new RoutingBackend({
            predicate: byHash,
            primary: memory(),
            secondary: memory(),
          }),
        }),
        delays: [0],
        sleep: noSleep,
      }),
  ),
];
