import type { CalendarWindow } from './calendar-window.js';

/**
 * Per-key settings the worker applies: whether the key is delivered at all,
 * delay overrides passed to `add` / `digest` (`undefined`: the backend's own
 * option), or a calendar window that replaces the delays.
 *
 * @example
 * ```ts
 * const quiet: KeyOptions = { enabled: true, minimumDelay: 3_600_000 };
 * const mornings: KeyOptions = { enabled: true, window: { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' } };
 * ```
 */
export interface KeyOptions {
  /** `false`: records are still stored, but nothing is delivered until it is `true` again. */
  readonly enabled: boolean;
  readonly minimumDelay?: number;
  readonly incrementDelay?: number;
  readonly maximumDelay?: number;
  /**
   * Deliver at the next occurrence of this window after the last digest
   * (the worker passes `dueAt` on add and the matching `minimumDelay` on
   * digest); the delays above are then not used.
   */
  readonly window?: CalendarWindow;
}

/**
 * Where the worker gets {@link KeyOptions}; `digestKeyOptions(optionsStore)`
 * builds one from the options store. It should not throw (serve a default
 * instead); if it does, the worker uses {@link DEFAULT_KEY_OPTIONS} and logs.
 *
 * @example
 * ```ts
 * const source: KeyOptionsSource = { forKey: async (key) => ({ enabled: !key.startsWith('muted:') }) };
 * ```
 */
export interface KeyOptionsSource {
  forKey(key: string): Promise<KeyOptions>;
}

/**
 * Enabled, with the backend's own delays.
 *
 * @example
 * ```ts
 * const options = (await source?.forKey(key)) ?? DEFAULT_KEY_OPTIONS;
 * ```
 */
export const DEFAULT_KEY_OPTIONS: KeyOptions = Object.freeze({ enabled: true });
