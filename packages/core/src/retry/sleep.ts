/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts.
 * `RetryingBackend` takes another one in its options so tests never sleep.
 *
 * @example
 * ```ts
 * await sleep(1_000, AbortSignal.timeout(500)); // rejects after 500 ms
 * ```
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The real {@link Sleep}: a timer that an abort clears.
 *
 * @example
 * ```ts
 * await sleep(100);
 * ```
 */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
