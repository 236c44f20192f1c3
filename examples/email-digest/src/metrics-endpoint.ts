/**
 * `--metrics[=PORT]`: the worker's OpenTelemetry metrics on a Prometheus
 * `/metrics` endpoint, through the official exporter. The SDK and the
 * exporter are this example's dependencies; `@digests/core` itself only
 * speaks `@opentelemetry/api`.
 *
 * @module
 */
import { ConfigurationError } from '@digests/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** Prometheus's registered port for OpenTelemetry exporters. */
export const DEFAULT_METRICS_PORT = 9464;

/**
 * The port `--metrics` or `--metrics=PORT` asks for, or `undefined` without
 * the flag. Any other argument is a `ConfigurationError`.
 *
 * @example
 * ```ts
 * metricsFlag(['--metrics=9500']); // 9500
 * ```
 */
export function metricsFlag(args: readonly string[]): number | undefined {
  let port: number | undefined;
  for (const arg of args) {
    const match = /^--metrics(?:=(\d+))?$/.exec(arg);
    if (match === null) {
      throw new ConfigurationError(`unknown argument ${JSON.stringify(arg)}; try --metrics[=PORT]`);
    }
    port = match[1] === undefined ? DEFAULT_METRICS_PORT : Number(match[1]);
    if (!(port >= 1 && port <= 65_535)) {
      throw new ConfigurationError(`--metrics needs a port from 1 to 65535, got ${match[1]}`);
    }
  }
  return port;
}

/**
 * A running endpoint: the meter provider to hand the worker, its URL, and
 * a promise that serves until SIGINT/SIGTERM and then shuts down.
 *
 * @example
 * ```ts
 * const metrics = await startMetricsEndpoint(9464);
 * new DigestWorker({ backend, deliver, meterProvider: metrics.meterProvider });
 * ```
 */
export interface MetricsEndpoint {
  readonly meterProvider: MeterProvider;
  readonly url: string;
  untilInterrupted(): Promise<void>;
}

/**
 * Starts the exporter's HTTP server on `port` (loopback only).
 *
 * @example
 * ```ts
 * const { url } = await startMetricsEndpoint(9464); // 'http://127.0.0.1:9464/metrics'
 * ```
 */
export async function startMetricsEndpoint(port: number): Promise<MetricsEndpoint> {
  const host = '127.0.0.1';
  const exporter = await new Promise<PrometheusExporter>((resolve, reject) => {
    const started: PrometheusExporter = new PrometheusExporter({ host, port }, (error) =>
      error ? reject(error) : resolve(started),
    );
  });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  return {
    meterProvider,
    url: `http://${host}:${port}/metrics`,
    async untilInterrupted() {
      // The exporter's server does not hold the process open by itself.
      const keepAlive = setInterval(() => undefined, 3_600_000);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      clearInterval(keepAlive);
      await meterProvider.shutdown();
    },
  };
}
