import {
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  metrics,
  type ObservableGauge,
  type ObservableResult,
} from '@opentelemetry/api';
import { INSTRUMENTS, KEY_STATE_ATTRIBUTE } from './instruments.js';

/**
 * The meter every digests instrument belongs to.
 *
 * @example
 * ```ts
 * const meter = provider.getMeter(METER_NAME);
 * ```
 */
export const METER_NAME = '@digests/core';

/** Keys per state, as a backend's `stats()` reports them. */
export interface KeyCounts {
  readonly waiting: number;
  readonly ready: number;
}

/**
 * The instruments of {@link INSTRUMENTS}, created on one meter, with one
 * method per thing that happens. Only `@opentelemetry/api` is used: with no
 * SDK registered every call is a no-op; register any SDK and exporter (or
 * pass a `MeterProvider`) to collect them.
 *
 * @example
 * ```ts
 * const metrics = new DigestMetrics(meterProvider);
 * metrics.delivered(records.length, (clock() - oldest) / 1000);
 * ```
 */
export class DigestMetrics {
  readonly #meter: Meter;
  readonly #recordsAdded: Counter;
  readonly #digestsDelivered: Counter;
  readonly #recordsDelivered: Counter;
  readonly #recordsTruncated: Counter;
  readonly #recordsQuarantined: Counter;
  readonly #leasesLost: Counter;
  readonly #deliveryFailures: Counter;
  readonly #digestRecords: Histogram;
  readonly #deliveryDelay: Histogram;
  readonly #scheduleLag: Histogram;

  /** `provider` defaults to the global one (`metrics.getMeterProvider()`). */
  constructor(provider: MeterProvider = metrics.getMeterProvider()) {
    this.#meter = provider.getMeter(METER_NAME);
    const counter = (spec: { name: string; unit: string; description: string }) =>
      this.#meter.createCounter(spec.name, { unit: spec.unit, description: spec.description });
    const histogram = (spec: { name: string; unit: string; description: string }) =>
      this.#meter.createHistogram(spec.name, { unit: spec.unit, description: spec.description });
    this.#recordsAdded = counter(INSTRUMENTS.recordsAdded);
    this.#digestsDelivered = counter(INSTRUMENTS.digestsDelivered);
    this.#recordsDelivered = counter(INSTRUMENTS.recordsDelivered);
    this.#recordsTruncated = counter(INSTRUMENTS.recordsTruncated);
    this.#recordsQuarantined = counter(INSTRUMENTS.recordsQuarantined);
    this.#leasesLost = counter(INSTRUMENTS.leasesLost);
    this.#deliveryFailures = counter(INSTRUMENTS.deliveryFailures);
    this.#digestRecords = histogram(INSTRUMENTS.digestRecords);
    this.#deliveryDelay = histogram(INSTRUMENTS.deliveryDelay);
    this.#scheduleLag = histogram(INSTRUMENTS.scheduleLag);
  }

  /** One record stored. */
  recordAdded(): void {
    this.#recordsAdded.add(1);
  }

  /** A digest of `records` records was delivered, `delaySeconds` after its oldest record. */
  delivered(records: number, delaySeconds: number): void {
    this.#digestsDelivered.add(1);
    this.#recordsDelivered.add(records);
    this.#digestRecords.record(records);
    this.#deliveryDelay.record(Math.max(0, delaySeconds));
  }

  /** Records dropped to keep a timeline within `capacity`. */
  truncated(records: number): void {
    if (records > 0) this.#recordsTruncated.add(records);
  }

  /** Values set aside because the codec could not decode them. */
  quarantined(records: number): void {
    if (records > 0) this.#recordsQuarantined.add(records);
  }

  /** A digest lost its lease while delivering. */
  leaseLost(): void {
    this.#leasesLost.add(1);
  }

  /** A digest's delivery (or a store step of it) failed. */
  deliveryFailed(): void {
    this.#deliveryFailures.add(1);
  }

  /** A scheduled key's digest started `lagSeconds` after it became due. */
  scheduleLag(lagSeconds: number): void {
    this.#scheduleLag.record(Math.max(0, lagSeconds));
  }

  /**
   * Registers the `digests.keys` gauge, read through `count` at each
   * collection; a failing read reports nothing for that collection. Returns
   * the function that unregisters it.
   *
   * @example
   * ```ts
   * const stop = metrics.observeKeys(() => backend.stats());
   * ```
   */
  observeKeys(count: () => Promise<KeyCounts>): () => void {
    const spec = INSTRUMENTS.keys;
    const gauge: ObservableGauge = this.#meter.createObservableGauge(spec.name, {
      unit: spec.unit,
      description: spec.description,
    });
    const callback = async (result: ObservableResult): Promise<void> => {
      let counts: KeyCounts;
      try {
        counts = await count();
      } catch {
        // A store that cannot be reached right now: no sample beats a wrong one.
        return;
      }
      result.observe(counts.waiting, { [KEY_STATE_ATTRIBUTE]: 'waiting' });
      result.observe(counts.ready, { [KEY_STATE_ATTRIBUTE]: 'ready' });
    };
    gauge.addCallback(callback);
    return () => gauge.removeCallback(callback);
  }
}
