import { ProxyTracerProvider, type Tracer, type TracerProvider, trace } from '@opentelemetry/api';

/**
 * `auto`: spans when a global tracer provider is registered; `on`/`off`: forced.
 *
 * @example
 * ```ts
 * setTracingMode(process.env.DIGESTS_TRACING === 'off' ? 'off' : 'auto');
 * ```
 */
export type TracingMode = 'auto' | 'on' | 'off';

let mode: TracingMode = 'auto';
let cachedProvider: TracerProvider | undefined;
let cachedTracer: Tracer | undefined;

// The API returns this shared no-op provider from an unregistered proxy; it
// is not exported, so we take it from a fresh proxy.
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();

// Where @opentelemetry/api 1.x registers its globals, for every copy of the
// API in the process to share: what `trace.getTracerProvider()` reads.
const OTEL_GLOBAL = Symbol.for('opentelemetry.js.api.1');
const globals = globalThis as { [OTEL_GLOBAL]?: { trace?: unknown } };

/**
 * A missing property of `globalThis` costs ~35 ns to look up, more than the
 * rest of `timed`'s fast path; so a "no provider" answer is reused for this
 * many calls before the global is read again.
 *
 * @example
 * ```ts
 * trace.setGlobalTracerProvider(provider); // seen within TRACING_RECHECK_CALLS timed() calls…
 * setTracingMode('auto');                  // …or at once
 * ```
 */
export const TRACING_RECHECK_CALLS = 1024;
let unregisteredCalls = 0;

/**
 * Sets when `timed` creates OpenTelemetry spans. The default, `auto`, creates
 * spans once an SDK has registered a global tracer provider: while one is
 * registered it checks on every call (and spans follow the provider at once);
 * while none is, it reads the API's global slot once per
 * {@link TRACING_RECHECK_CALLS} calls, so a provider registered after store
 * traffic began is picked up within that many calls — or at once after
 * `setTracingMode('auto')` / `enableTracing()`. `off` skips every check.
 *
 * @example
 * ```ts
 * setTracingMode('off'); // a hot path that must not pay for tracing
 * ```
 */
export function setTracingMode(next: TracingMode): void {
  mode = next;
  unregisteredCalls = 0;
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
  if (unregisteredCalls > 0) {
    unregisteredCalls--;
    return false;
  }
  if (globals[OTEL_GLOBAL]?.trace !== undefined) {
    const provider = trace.getTracerProvider();
    if (!(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NOOP_PROVIDER) {
      return true;
    }
  }
  unregisteredCalls = TRACING_RECHECK_CALLS;
  return false;
}

/**
 * The `digests` tracer of the current global provider (cached per provider).
 *
 * @example
 * ```ts
 * digestsTracer().startActiveSpan('digest pass', (span) => { … span.end(); });
 * ```
 */
export function digestsTracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (provider !== cachedProvider || cachedTracer === undefined) {
    cachedProvider = provider;
    cachedTracer = provider.getTracer('digests');
  }
  return cachedTracer;
}
