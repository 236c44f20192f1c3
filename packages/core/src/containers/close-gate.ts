import { BackendClosedError } from '../errors.js';

/**
 * A container's closed state. After `close()` every call of the container
 * rejects with `BackendClosedError` — not transient, so a `RetryingBackend`
 * gives up at once and a `FallbackBackend` does not fall back — even when
 * the container was told not to close its inner backends.
 *
 * @example
 * ```ts
 * readonly #gate = new CloseGate('PolyBackend');
 * async inspect(key) {
 *   this.#gate.check();
 *   // …
 * }
 * close() {
 *   return this.#gate.close(() => closeInnerBackends());
 * }
 * ```
 */
export class CloseGate {
  readonly #name: string;
  #closing: Promise<void> | undefined;

  constructor(name: string) {
    this.#name = name;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** Throws `BackendClosedError` once the container is closed. */
  check(): void {
    if (this.#closing !== undefined) throw new BackendClosedError(`${this.#name} was closed`);
  }

  /** Runs `release` once; later calls share its outcome. */
  close(release: () => Promise<void>): Promise<void> {
    this.#closing ??= (async () => release())();
    return this.#closing;
  }
}
