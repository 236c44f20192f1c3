import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import type { Codec, EncodedValue } from '../../src/index.js';
import { INSTRUMENTS } from '../../src/metrics/instruments.js';
import {
  FakeClock,
  keysOf,
  memoryBackend,
  rec,
  recordingWorker,
} from '../worker/worker-harness.js';

/** JSON, except that a stored value containing "poison" cannot be decoded. */
const touchy: Codec<string> = {
  name: 'touchy',
  encode: (value) => JSON.stringify(value),
  decode: (data: EncodedValue) => {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    if (text.includes('poison')) throw new Error('undecodable');
    return JSON.parse(text) as string;
  },
};

afterEach(() => {
  metrics.disable();
});

describe('quarantined records are counted on the global meter provider', () => {
  it('a digest that sets values aside adds them to digests.records.quarantined', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(provider);

    const clock = new FakeClock();
    const backend = memoryBackend(clock, { codec: touchy });
    const { worker, deliveries } = recordingWorker(backend, clock);
    await backend.add('k', { key: 'bad1', value: 'poison 1', timestamp: clock.now });
    await backend.add('k', { key: 'bad2', value: 'poison 2', timestamp: clock.now });
    await backend.add('k', rec('good', clock.now));
    await worker.runOnce();
    clock.advance(1_000);
    await worker.runOnce();
    expect(deliveries.map(keysOf)).toEqual([['good']]);

    await provider.forceFlush();
    const points = exporter
      .getMetrics()
      .flatMap((resource) => resource.scopeMetrics)
      .flatMap((scope) => scope.metrics)
      .filter((metric) => metric.descriptor.name === INSTRUMENTS.recordsQuarantined.name)
      .flatMap((metric) => metric.dataPoints.map((point) => Number(point.value)));
    expect(points.reduce((total, value) => total + value, 0)).toBe(2);
    await provider.shutdown();
  });
});
