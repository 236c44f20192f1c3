import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import {
  type Attributes,
  type AttributeValue,
  type Context,
  type ContextManager,
  context,
  type Exception,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';

/** A span that remembers everything done to it. */
export class FakeSpan implements Span {
  readonly name: string;
  readonly attributes: Record<string, AttributeValue | undefined>;
  readonly parent: FakeSpan | undefined;
  readonly exceptions: Exception[] = [];
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  ended = false;
  readonly #context: SpanContext;

  constructor(name: string, attributes: Attributes, parent: FakeSpan | undefined) {
    this.name = name;
    this.attributes = { ...attributes };
    this.parent = parent;
    this.#context = {
      traceId: parent?.spanContext().traceId ?? randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      traceFlags: TraceFlags.SAMPLED,
    };
  }

  spanContext(): SpanContext {
    return this.#context;
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes): this {
    Object.assign(this.attributes, attributes);
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.status = status;
    return this;
  }
  updateName(): this {
    return this;
  }
  end(): void {
    this.ended = true;
  }
  isRecording(): boolean {
    return !this.ended;
  }
  recordException(exception: Exception): void {
    this.exceptions.push(exception);
  }
}

/** A tracer that keeps its spans in memory. */
export class FakeTracer implements Tracer {
  readonly spans: FakeSpan[] = [];

  startSpan(name: string, options: SpanOptions = {}, parentContext?: Context): Span {
    const parent = trace.getSpan(parentContext ?? context.active());
    const span = new FakeSpan(
      name,
      options.attributes ?? {},
      parent instanceof FakeSpan ? parent : undefined,
    );
    this.spans.push(span);
    return span;
  }

  startActiveSpan: Tracer['startActiveSpan'] = ((name: string, ...rest: unknown[]) => {
    const fn = rest.at(-1) as (span: Span) => unknown;
    const span = this.startSpan(name);
    return context.with(trace.setSpan(context.active(), span), fn, undefined, span);
  }) as Tracer['startActiveSpan'];
}

/** The whole SDK a test needs: one tracer. */
export class FakeTracerProvider implements TracerProvider {
  readonly tracer = new FakeTracer();
  readonly names: string[] = [];
  getTracer(name: string): Tracer {
    this.names.push(name);
    return this.tracer;
  }
}

/** A context manager over AsyncLocalStorage, so spans nest across awaits. */
export class AlsContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}
