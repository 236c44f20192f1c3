import type { Backend } from '../backend.js';
import {
  BackendUnavailableError,
  ConfigurationError,
  InvalidKeyError,
  InvalidRecordError,
} from '../errors.js';
import type { TransientPredicate } from '../retry/transient.js';
import type { Logger } from './logger.js';
import { PolyBackendError } from './poly-backend-error.js';

/**
 * What one operation did on every inner backend: the values of those that
 * succeeded and the errors of those that failed, each with its index.
 */
export interface Settled<T> {
  readonly values: readonly { readonly index: number; readonly value: T }[];
  readonly failures: readonly { readonly index: number; readonly error: unknown }[];
}

/**
 * Runs `operation` on every backend at once; each is tried whatever the
 * others do (Socorro's `PolyCrashStorage`).
 *
 * @example
 * ```ts
 * const { values, failures } = await settle(backends, (backend) => backend.inspect(key));
 * ```
 */
export async function settle<V, T>(
  backends: readonly Backend<V>[],
  operation: (backend: Backend<V>, index: number) => Promise<T>,
): Promise<Settled<T>> {
  const outcomes = await Promise.allSettled(
    backends.map(async (backend, index) => operation(backend, index)),
  );
  const values: { index: number; value: T }[] = [];
  const failures: { index: number; error: unknown }[] = [];
  outcomes.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') values.push({ index, value: outcome.value });
    else failures.push({ index, error: outcome.reason });
  });
  return { values, failures };
}

/**
 * Write semantics (every inner backend must take the write): throws a
 * {@link PolyBackendError} listing every failure. When every inner backend
 * rejected the input itself (bad key, record, value or option — errors the
 * contract raises before writing anything), the first rejection is thrown as
 * is: nothing was written anywhere, and the caller sees the usual error.
 *
 * @example
 * ```ts
 * throwWriteFailures(await settle(backends, (backend) => backend.delete(key)));
 * ```
 */
export function throwWriteFailures(settled: Settled<unknown>): void {
  const { values, failures } = settled;
  if (failures.length === 0) return;
  const errors = failures.map((failure) => failure.error);
  if (values.length === 0 && errors.every(isInputError)) throw errors[0];
  throw new PolyBackendError(errors);
}

/**
 * Read semantics (merge what can be read): transient failures are skipped
 * (and logged) as long as one inner backend answered; when none did, throws
 * {@link unavailable}. A failure that is not transient is thrown (several
 * as a {@link PolyBackendError}).
 *
 * @example
 * ```ts
 * const settled = await settle(backends, (backend) => backend.inspect(key));
 * throwReadFailures(settled, isTransient, logger, 'inspect');
 * ```
 */
export function throwReadFailures(
  settled: Settled<unknown>,
  transient: TransientPredicate,
  logger: Logger,
  operation: string,
): void {
  const { values, failures } = settled;
  if (failures.length === 0) return;
  const errors = failures.map((failure) => failure.error);
  const hard = errors.filter((error) => !transient(error));
  if (hard.length === 1) throw hard[0];
  if (hard.length > 1) throw new PolyBackendError(errors);
  if (values.length === 0) throw unavailable(errors);
  for (const { index, error } of failures) {
    logger.warn(`${operation}: skipped inner backend ${index}, it is unavailable`, { error });
  }
}

/**
 * The error for "no inner backend could be reached": the only failure as is,
 * or a {@link BackendUnavailableError} whose `cause` is an `AggregateError`
 * of all of them — transient, so a `RetryingBackend` around it retries.
 *
 * @example
 * ```ts
 * if (values.length === 0) throw unavailable(errors);
 * ```
 */
export function unavailable(errors: readonly unknown[]): unknown {
  if (errors.length === 1) return errors[0];
  return new BackendUnavailableError(`all ${errors.length} inner backends are unavailable`, {
    cause: new AggregateError(errors, 'inner backend failures'),
  });
}

/**
 * Whether `error` is the contract's rejection of bad input, raised before
 * anything is written: `InvalidKeyError`, `InvalidRecordError` (and its
 * `CodecError`) or `ConfigurationError`.
 *
 * @example
 * ```ts
 * isInputError(new InvalidKeyError('key must not be empty')); // true
 * ```
 */
export function isInputError(error: unknown): boolean {
  return (
    error instanceof InvalidKeyError ||
    error instanceof InvalidRecordError ||
    error instanceof ConfigurationError
  );
}
