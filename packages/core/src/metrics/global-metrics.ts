import { metrics } from '@opentelemetry/api';
import { DigestMetrics } from './digest-metrics.js';

let cached: { provider: unknown; metrics: DigestMetrics } | undefined;

/**
 * The {@link DigestMetrics} of the global `MeterProvider`, rebuilt when
 * another provider is registered (the metrics API has no proxy: an
 * instrument made before registration stays a no-op). What a backend
 * counts, it counts here — it has no `meterProvider` of its own.
 *
 * @example
 * ```ts
 * globalDigestMetrics().quarantined(poisoned.length);
 * ```
 */
export function globalDigestMetrics(): DigestMetrics {
  const provider = metrics.getMeterProvider();
  if (cached?.provider !== provider) cached = { provider, metrics: new DigestMetrics(provider) };
  return cached.metrics;
}
