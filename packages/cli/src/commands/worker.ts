/**
 * `digests worker`: runs a `DigestWorker` on the configured store until
 * SIGINT/SIGTERM, printing every delivered digest. Stopping is graceful: no
 * new digest starts, running ones finish, then the store is closed and the
 * command exits 0.
 *
 * @module
 */
import {
  type Backend,
  DigestWorker,
  type KeyRuleConfig,
  keyOptionsFromRules,
  type WorkerCounters,
} from '@digests/core';
import { CommandError } from '../errors.js';
import { formatDuration, type Output } from '../output.js';

/**
 * How `digests worker` runs.
 *
 * @example
 * ```ts
 * const options: WorkerCommandOptions = { interval: 10_000, concurrency: 4, once: false, statusEvery: 60_000 };
 * ```
 */
export interface WorkerCommandOptions {
  /** Milliseconds between passes. */
  readonly interval: number;
  readonly concurrency: number;
  /** Ready keys older than this go back to the schedule (the retry delay of a failed delivery). */
  readonly maintenanceAge?: number;
  /** Run one pass and exit (cron, scripts). */
  readonly once: boolean;
  /** Milliseconds between status lines on stderr. */
  readonly statusEvery: number;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal?: AbortSignal;
  /** Printed in the banner: what the store is. */
  readonly description: string;
  /** Per-key rules (the config's `worker.keys`): delays, windows, switches. */
  readonly keys?: readonly KeyRuleConfig[];
}

/**
 * Runs the worker; resolves its final counters once it has stopped. With
 * `once`, a pass that could not reach the store rejects (a
 * {@link CommandError} carrying the store's error code), so a cron job sees
 * a failure.
 *
 * @example
 * ```ts
 * const counters = await workerCommand(backend, { interval: 10_000, concurrency: 4, once: false, statusEvery: 60_000, signal, description: 'sqlite (digests.db)' }, out);
 * ```
 */
export async function workerCommand(
  backend: Backend,
  options: WorkerCommandOptions,
  out: Output,
): Promise<WorkerCounters> {
  let storeError: unknown;
  const worker = new DigestWorker({
    backend,
    deliver: (delivery) => out.delivery(delivery),
    interval: options.interval,
    concurrency: options.concurrency,
    ...(options.maintenanceAge === undefined ? {} : { maintenanceAge: options.maintenanceAge }),
    ...(options.keys === undefined ? {} : { options: keyOptionsFromRules(options.keys) }),
    logger: {
      warn: (message, context) => {
        // "maintenance failed" / "schedule failed": the pass could not reach the store (the first says why).
        if (/^(maintenance|schedule) failed/.test(message))
          storeError ??= context?.error ?? message;
        out.warn(message, context);
      },
      error: (message, context) => out.warn(message, context),
    },
  });
  const began = out.now();

  if (options.once) {
    const pass = await worker.runOnce();
    await worker.stop();
    out.progress(
      `worker: one pass on ${options.description}: ${pass.scheduled} due · ${plural(pass.delivered, 'digest')} delivered · ${pass.failed} failed`,
    );
    const counters = finish(worker.counters, out, began);
    if (worker.counters.passFailures > 0) {
      const reason = storeError instanceof Error ? storeError.message : String(storeError);
      const code = (storeError as { code?: unknown } | undefined)?.code;
      throw new CommandError(
        `worker --once: the pass could not reach the store: ${reason}`,
        typeof code === 'string' ? code : 'DIGESTS_BACKEND_UNAVAILABLE',
        { cause: storeError },
      );
    }
    return counters;
  }

  out.progress(
    `worker: ${options.description}, a pass every ${formatDuration(options.interval)}, ${options.concurrency} at once; Ctrl-C to stop`,
  );
  worker.start();
  const status = setInterval(
    () => out.progress(statusLine(worker.counters, out.now() - began)),
    options.statusEvery,
  );
  status.unref();
  const reason = await stopped(options.signal);
  clearInterval(status);
  out.progress(`worker: ${reason}, stopping: letting running digests finish…`);
  await worker.stop({ timeout: 30_000 });
  return finish(worker.counters, out, began);
}

function finish(counters: WorkerCounters, out: Output, began: number): WorkerCounters {
  out.progress(statusLine(counters, out.now() - began));
  if (out.json) out.event({ event: 'stopped', counters }, '');
  return counters;
}

function statusLine(counters: WorkerCounters, elapsed: number): string {
  return (
    `worker: ${formatDuration(elapsed)} · ${plural(counters.passes, 'pass', 'passes')} · ` +
    `${plural(counters.digestsDelivered, 'digest')} / ${plural(counters.recordsDelivered, 'record')} delivered · ` +
    `${counters.failures} failed · ${counters.leaseConflicts} taken by other workers` +
    // passFailures counts failed steps (maintenance, schedule), not passes.
    (counters.passFailures > 0
      ? ` · store unreachable ${counters.passFailures}× (maintenance or schedule)`
      : '')
  );
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Resolves with a description of why, once `signal` aborts (never, without one). */
function stopped(signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve) => {
    const why = () =>
      `received ${typeof signal?.reason === 'string' ? signal.reason : 'a stop signal'}`;
    if (signal?.aborted) resolve(why());
    signal?.addEventListener('abort', () => resolve(why()), { once: true });
  });
}
