import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timed } from '../../src/timeline/timed.js';
import { runWithTimeline } from '../../src/timeline/timeline-context.js';
import {
  disableTracing,
  enableTracing,
  setTracingMode,
  TRACING_RECHECK_CALLS,
  tracingActive,
} from '../../src/timeline/tracing.js';
import { AlsContextManager, FakeTracerProvider } from './fake-tracer.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

afterEach(() => {
  trace.disable();
  context.disable();
  setTracingMode('auto');
});

describe('tracing without a provider', () => {
  it('is off in auto mode, and timed creates nothing', () => {
    expect(tracingActive()).toBe(false);
    const promise = Promise.resolve();
    expect(timed('x', 'y', () => promise)).toBe(promise);
  });

  it('a provider registered after traffic began is seen within TRACING_RECHECK_CALLS calls', () => {
    expect(tracingActive()).toBe(false);
    trace.setGlobalTracerProvider(new FakeTracerProvider());
    let calls = 1;
    while (!tracingActive() && calls <= TRACING_RECHECK_CALLS + 1) calls++;
    expect(calls).toBe(TRACING_RECHECK_CALLS + 1);
    // …or at once, after setTracingMode('auto').
    trace.disable();
    expect(tracingActive()).toBe(false);
    trace.setGlobalTracerProvider(new FakeTracerProvider());
    setTracingMode('auto');
    expect(tracingActive()).toBe(true);
  });

  it('enableTracing forces it on, disableTracing off', () => {
    enableTracing();
    expect(tracingActive()).toBe(true);
    disableTracing();
    expect(tracingActive()).toBe(false);
  });
});

describe('tracing with a registered provider', () => {
  let provider: FakeTracerProvider;
  beforeEach(() => {
    provider = new FakeTracerProvider();
    context.setGlobalContextManager(new AlsContextManager());
    expect(trace.setGlobalTracerProvider(provider)).toBe(true);
  });

  it('is detected in auto mode, lazily (registered after the module loaded)', () => {
    expect(tracingActive()).toBe(true);
    disableTracing();
    expect(tracingActive()).toBe(false);
  });

  it('turns each action into a span of the digests tracer', async () => {
    const value = await timed('redis', 'EVAL add mail:p:1', async () => 'ok');
    expect(value).toBe('ok');
    expect(provider.names).toContain('digests');
    const [span] = provider.tracer.spans;
    expect(span?.name).toBe('redis');
    expect(span?.attributes).toEqual({ 'digests.detail': 'EVAL add mail:p:1' });
    expect(span?.ended).toBe(true);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('marks failed actions and records the exception', async () => {
    const failure = new Error('READONLY');
    await expect(timed('redis', 'EVAL', () => Promise.reject(failure))).rejects.toBe(failure);
    const [span] = provider.tracer.spans;
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'READONLY' });
    expect(span?.exceptions).toEqual([failure]);
    expect(span?.ended).toBe(true);
  });

  it('nests spans like the actions, and records into an active timeline as well', async () => {
    await runWithTimeline(async (timeline) => {
      await timed('backend', 'DIGEST k', async () => {
        await tick();
        await timed('sql', 'SELECT', tick);
      });
      expect(timeline.actions.map((a) => [a.detail, a.parent])).toEqual([
        ['DIGEST k', undefined],
        ['SELECT', 0],
      ]);
    });
    const [outer, inner] = provider.tracer.spans;
    expect(inner?.parent).toBe(outer);
    expect(inner?.spanContext().traceId).toBe(outer?.spanContext().traceId);
    expect(outer?.parent).toBeUndefined();
  });

  it('creates no spans when forced off', () => {
    disableTracing();
    timed('x', 'y', () => undefined);
    expect(provider.tracer.spans).toHaveLength(0);
  });
});
