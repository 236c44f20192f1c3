import { ProxyTracerProvider, type Tracer, type TracerProvider, trace } from '@opentelemetry/api';

/** `auto`: spans when a global tracer provider is registered; `on`/`off`: forced. */
export type TracingMode = 'auto' | 'on' | 'off';

let mode: TracingMode = 'auto';
let cachedProvider: TracerProvider | undefined;
let cachedTracer: Tracer | undefined;

// The API returns this shared no-op provider from an unregistered proxy; it
// is not exported, so we take it from a fresh proxy.
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();

/**
 * Sets when `timed` creates OpenTelemetry spans. The default, `auto`, asks
 * `trace.getTracerProvider()` on each call (no allocation) and creates spans
 * only once an SDK has registered a provider. `off` skips even that check.
 *
 * @example
 * ```ts
 * setTracingMode('off'); // a hot path that must not pay for tracing
 * ```
 */
export function setTracingMode(next: TracingMode): void {
  mode = next;
  cachedProvider = undefined;
  cachedTracer = undefined;
}

/**
 * Forces spans on, even before a provider is registered (the API's proxy
 * forwards to one registered later).
 *
 * @example
 * ```ts
 * enableTracing();
 * ```
 */
export function enableTracing(): void {
  setTracingMode('on');
}

/**
 * Forces spans off: `timed` records only into an active timeline.
 *
 * @example
 * ```ts
 * disableTracing();
 * ```
 */
export function disableTracing(): void {
  setTracingMode('off');
}

/**
 * Whether `timed` creates spans right now.
 *
 * @example
 * ```ts
 * if (tracingActive()) span.setAttribute('digests.records', records.length);
 * ```
 */
export function tracingActive(): boolean {
  if (mode !== 'auto') return mode === 'on';
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NOOP_PROVIDER;
}

/** The `digests` tracer of the current global provider (cached per provider). */
export function digestsTracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (provider !== cachedProvider || cachedTracer === undefined) {
    cachedProvider = provider;
    cachedTracer = provider.getTracer('digests');
  }
  return cachedTracer;
}
