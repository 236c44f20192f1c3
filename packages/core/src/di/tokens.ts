/**
 * The identifiers the digests inversify container binds. They are
 * `Symbol.for` symbols, so two copies of `@digests/core` in one process
 * still agree on them.
 *
 * - `Backend`: the composed backend tree's root (`Backend<unknown>`), a
 *   singleton closed when the container is disposed.
 * - `Config`: the validated config (`DigestsConfig`).
 * - `Clock`: the source of "now" (`Clock`), given to every adapter.
 * - `Logger`: where survived failures are reported (`WorkerLogger`).
 * - `Worker`, `OptionsStore`: reserved for the worker and the options store.
 *
 * @example
 * ```ts
 * const container = await createDigestsContainer(config);
 * const backend = container.get<Backend>(TOKENS.Backend);
 * ```
 */
export const TOKENS = Object.freeze({
  Backend: Symbol.for('digests.Backend'),
  Config: Symbol.for('digests.Config'),
  Clock: Symbol.for('digests.Clock'),
  Logger: Symbol.for('digests.Logger'),
  Worker: Symbol.for('digests.Worker'),
  OptionsStore: Symbol.for('digests.OptionsStore'),
});
