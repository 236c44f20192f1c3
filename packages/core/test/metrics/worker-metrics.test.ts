import { readFileSync } from 'node:fs';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { INSTRUMENTS, KEY_STATE_ATTRIBUTE } from '../../src/metrics/instruments.js';
import { FakeClock, memoryBackend, rec, recordingWorker } from '../worker/worker-harness.js';

let providers: MeterProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.map((provider) => provider.shutdown()));
  providers = [];
});

/** An SDK meter provider exporting into memory, collected on demand. */
function inMemoryMetrics() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // The interval never fires in a test: collect() flushes explicitly.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  providers.push(meterProvider);
  return {
    meterProvider,
    async collect(): Promise<Map<string, MetricData>> {
      exporter.reset();
      await meterProvider.forceFlush();
      const metrics = new Map<string, MetricData>();
      for (const resource of exporter.getMetrics()) {
        for (const scope of resource.scopeMetrics) {
          expect(scope.scope.name).toBe('@digests/core');
          for (const metric of scope.metrics) metrics.set(metric.descriptor.name, metric);
        }
      }
      return metrics;
    },
  };
}

const sum = (metrics: Map<string, MetricData>, name: string): number =>
  (metrics.get(name)?.dataPoints ?? []).reduce((total, point) => total + Number(point.value), 0);

function histogram(metrics: Map<string, MetricData>, name: string) {
  const metric = metrics.get(name);
  expect(metric?.dataPointType).toBe(DataPointType.HISTOGRAM);
  const value = metric?.dataPoints[0]?.value as
    | { count: number; sum: number; min: number; max: number }
    | undefined;
  return value;
}

describe('worker metrics through @opentelemetry/api', () => {
  it('counts adds, deliveries and failures; records the three histograms', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { meterProvider, collect } = inMemoryMetrics();
    let failNext = false;
    const { worker } = recordingWorker(backend, clock, {
      meterProvider,
      maintenanceAge: 0,
      deliver: () => {
        if (failNext) {
          failNext = false;
          throw new Error('SMTP 451');
        }
      },
    });
    const start = clock.now;
    await worker.add('a', rec('a1', start)); // delivered at once, delay 0 s
    await worker.add('a', rec('a2', start));
    await worker.add('a', rec('a3', start + 10));
    clock.advance(2_000); // due at start + 140: 1.86 s of schedule lag
    await worker.runOnce(); // a2 + a3, delay 2 s
    failNext = true;
    await worker.add('b', rec('b1', clock.now)); // fails, stays ready

    const metrics = await collect();
    expect(sum(metrics, INSTRUMENTS.recordsAdded.name)).toBe(4);
    expect(sum(metrics, INSTRUMENTS.digestsDelivered.name)).toBe(2);
    expect(sum(metrics, INSTRUMENTS.recordsDelivered.name)).toBe(3);
    expect(sum(metrics, INSTRUMENTS.deliveryFailures.name)).toBe(1);
    expect(histogram(metrics, INSTRUMENTS.digestRecords.name)).toMatchObject({
      count: 2,
      sum: 3,
      min: 1,
      max: 2,
    });
    expect(histogram(metrics, INSTRUMENTS.deliveryDelay.name)).toMatchObject({
      count: 2,
      min: 0,
      max: 2,
    });
    expect(histogram(metrics, INSTRUMENTS.scheduleLag.name)).toMatchObject({
      count: 1,
      sum: 1.86,
    });
    expect(metrics.get(INSTRUMENTS.deliveryDelay.name)?.descriptor.unit).toBe('s');
    expect(metrics.get(INSTRUMENTS.recordsAdded.name)?.descriptor.unit).toBe('{record}');
  });

  it('observes keys by state from a backend that can count itself', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { meterProvider, collect } = inMemoryMetrics();
    const { worker } = recordingWorker(backend, clock, { meterProvider });
    await worker.add('a', rec('a1', clock.now)); // delivered: waiting, empty
    await backend.add('b', rec('b1', clock.now)); // ready, never digested
    await backend.add('c', rec('c1', clock.now));
    const gauge = (await collect()).get(INSTRUMENTS.keys.name);
    expect(gauge?.dataPointType).toBe(DataPointType.GAUGE);
    const byState = Object.fromEntries(
      (gauge?.dataPoints ?? []).map((point) => [
        point.attributes[KEY_STATE_ATTRIBUTE],
        point.value,
      ]),
    );
    expect(byState).toEqual({ waiting: 1, ready: 2 });
    await worker.stop();
  });

  it('counts a lost lease', async () => {
    const clock = new FakeClock();
    const leaseDuration = 600_000;
    const backend = memoryBackend(clock, { leaseDuration });
    const { meterProvider, collect } = inMemoryMetrics();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { worker } = recordingWorker(backend, clock, { meterProvider, deliver: () => held });
    const adding = worker.add('k', rec('e1', clock.now));
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    clock.advance(leaseDuration + 1);
    // Another process takes the expired lease and commits first.
    await backend.maintenance(clock.now);
    for await (const _ of backend.schedule(clock.now)) await backend.digest('k', () => undefined);
    release();
    await adding;
    expect(sum(await collect(), INSTRUMENTS.leasesLost.name)).toBe(1);
  });

  it('the README table documents exactly the instruments the code creates', () => {
    const readme = readFileSync(new URL('../../src/metrics/README.md', import.meta.url), 'utf8');
    const documented = [...readme.matchAll(/^\| `(digests\.[a-z.]+)` \| ([a-z]+)/gm)].map(
      ([, name, kind]) => `${name} ${kind}`,
    );
    expect(documented.sort()).toEqual(
      Object.values(INSTRUMENTS)
        .map(({ name, kind }) => `${name} ${kind}`)
        .sort(),
    );
  });
});
