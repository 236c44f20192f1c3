import { MemoryBackend } from '@digests/memory';
import type { Backend, BackendOptions, TimelineRecord } from '../../src/index.js';
import type { Delivery } from '../../src/worker/delivery.js';
import { DigestWorker } from '../../src/worker/digest-worker.js';
import type { DigestWorkerOptions } from '../../src/worker/digest-worker-options.js';

export const EPOCH = 1_700_000_000_000;

/** A fake clock shared by a backend and its workers. */
export class FakeClock {
  now = EPOCH;
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** Small delays so a test reads as arithmetic. */
export const DELAYS = { minimumDelay: 100, incrementDelay: 20, maximumDelay: 400 } as const;

export function memoryBackend(clock: FakeClock, options: BackendOptions<string> = {}) {
  return new MemoryBackend<string>({ ...DELAYS, clock: clock.read, ...options });
}

/** A worker that records every delivery. */
export function recordingWorker(
  backend: Backend<string>,
  clock: FakeClock,
  options: Partial<DigestWorkerOptions<string>> = {},
): { worker: DigestWorker<string>; deliveries: Delivery<string>[] } {
  const deliveries: Delivery<string>[] = [];
  const worker = new DigestWorker<string>({
    backend,
    clock: clock.read,
    maintenanceAge: 1_000,
    deliver: (delivery) => {
      deliveries.push(delivery);
    },
    ...options,
  });
  return { worker, deliveries };
}

export function rec(key: string, timestamp: number): TimelineRecord<string> {
  return { key, value: `value of ${key}`, timestamp };
}

export function keysOf(delivery: Delivery<string> | undefined): string[] {
  return delivery?.records.map((r) => r.key) ?? [];
}

/** A promise with its opener, for holding a delivery open. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Lets pending promise callbacks run (no timers involved). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
