/**
 * Every error the library raises extends {@link DigestsError} and carries a
 * `cause` where one exists. `code` is a stable string a script can match on.
 *
 * @module
 */

const DIGESTS_ERROR = Symbol.for('digests.error');

/**
 * The base class of every digests error.
 *
 * @example
 * ```ts
 * try {
 *   await backend.add('', record);
 * } catch (error) {
 *   if (error instanceof DigestsError) console.error(error.code, error.message);
 * }
 * ```
 */
export class DigestsError extends Error {
  /** A stable identifier, e.g. `DIGESTS_LEASE_CONFLICT`. */
  readonly code: string = 'DIGESTS_ERROR';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    markDigestsError(this);
  }

  /**
   * `instanceof DigestsError` is also true for the library's errors that must
   * extend another built-in (`PolyBackendError extends AggregateError`).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: subclasses must keep ordinary instanceof
    if (this !== DigestsError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && DIGESTS_ERROR in value;
  }
}

/** Brands an error that cannot extend {@link DigestsError} as one of ours. */
export function markDigestsError(error: Error): void {
  Object.defineProperty(error, DIGESTS_ERROR, { value: true, enumerable: false });
}

/** An option is invalid; raised at construction (or by the call that was given it). */
export class ConfigurationError extends DigestsError {
  override readonly code = 'DIGESTS_CONFIGURATION';
}

/** A timeline key or record key is not a non-empty, well-formed string of at most 1024 UTF-16 units. */
export class InvalidKeyError extends DigestsError {
  override readonly code = 'DIGESTS_INVALID_KEY';
}

/** A record is malformed (not an object, missing value, non-finite timestamp, …). */
export class InvalidRecordError extends DigestsError {
  override readonly code: string = 'DIGESTS_INVALID_RECORD';
}

/**
 * A value could not be encoded or decoded. A value the codec cannot encode is
 * an invalid record, so this is also an {@link InvalidRecordError}.
 */
export class CodecError extends InvalidRecordError {
  override readonly code = 'DIGESTS_CODEC';
}

/** The operation does not apply to the key's state (e.g. digest of a key that is not ready). */
export class InvalidStateError extends DigestsError {
  override readonly code = 'DIGESTS_INVALID_STATE';
}

/** Another digest holds the timeline's lease; nothing was changed. */
export class LeaseConflictError extends DigestsError {
  override readonly code = 'DIGESTS_LEASE_CONFLICT';
}

/**
 * The digest's lease expired and another digest took it while the caller's
 * function ran: nothing was removed, the records will be delivered again.
 */
export class LeaseLostError extends DigestsError {
  override readonly code = 'DIGESTS_LEASE_LOST';
}

/** Transient: the store could not be reached. Safe to retry. */
export class BackendUnavailableError extends DigestsError {
  override readonly code = 'DIGESTS_BACKEND_UNAVAILABLE';
}

/**
 * The backend was closed: the call cannot succeed, now or on a retry (so it
 * is deliberately not a {@link BackendUnavailableError}).
 *
 * @example
 * ```ts
 * await backend.close();
 * await backend.add('k', record); // rejects BackendClosedError
 * ```
 */
export class BackendClosedError extends DigestsError {
  override readonly code = 'DIGESTS_BACKEND_CLOSED';
}
