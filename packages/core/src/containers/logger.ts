/**
 * The little a container needs to report a failure it survived (a primary
 * that went down, a mover pass that stopped). `console` fits.
 *
 * @example
 * ```ts
 * const logger: Logger = { warn: (message, context) => pino.warn(context, message) };
 * new FallbackBackend({ primary, secondary, logger });
 * ```
 */
export interface Logger {
  warn(message: string, context?: Readonly<Record<string, unknown>>): void;
}

/** A logger that drops everything: the default. */
export const silentLogger: Logger = Object.freeze({ warn: () => undefined });
