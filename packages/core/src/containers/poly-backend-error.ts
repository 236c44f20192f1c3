import { markDigestsError } from '../errors.js';

/**
 * Several inner backends failed one operation. `errors` lists every failure
 * in the order of the inner backends; `instanceof DigestsError` holds. It is
 * transient (see `isTransient`) exactly when every listed error is.
 *
 * @example
 * ```ts
 * try {
 *   await poly.add('mail:p:1', record);
 * } catch (error) {
 *   if (error instanceof PolyBackendError) for (const cause of error.errors) log(cause);
 * }
 * ```
 */
export class PolyBackendError extends AggregateError {
  /** A stable identifier, like every `DigestsError`'s. */
  readonly code = 'DIGESTS_POLY_BACKEND';

  constructor(errors: readonly unknown[], message?: string) {
    super(errors, message ?? `${errors.length} inner backend(s) failed: ${summarize(errors)}`);
    this.name = 'PolyBackendError';
    markDigestsError(this);
  }
}

function summarize(errors: readonly unknown[]): string {
  return errors
    .map((error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)))
    .join('; ');
}
