/**
 * `digests dashboard`: serves `@digests/dashboard` over the configured
 * store until SIGINT/SIGTERM. It listens on 127.0.0.1 unless `--host` says
 * otherwise, and any other address needs `--token` (or
 * `DIGESTS_DASHBOARD_TOKEN`).
 *
 * @module
 */
import type { Backend } from '@digests/core';
import { startDashboard, TOKEN_ENV } from '@digests/dashboard';
import { UsageError } from '../errors.js';
import type { Output } from '../output.js';

/**
 * How `digests dashboard` runs.
 *
 * @example
 * ```ts
 * const options: DashboardCommandOptions = { host: '127.0.0.1', port: 7070, readOnly: true, description: 'sqlite (digests.db)' };
 * ```
 */
export interface DashboardCommandOptions {
  readonly host: string;
  readonly port: number;
  /** The access token; required off loopback. */
  readonly token?: string;
  readonly readOnly: boolean;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal?: AbortSignal;
  /** Printed in the banner: what the store is. */
  readonly description: string;
}

/**
 * The flags of `digests dashboard`, for the command line's parser.
 *
 * @example
 * ```ts
 * parseArgs({ args, options: { ...COMMON, ...DASHBOARD_FLAGS } });
 * ```
 */
export const DASHBOARD_FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string' },
  'read-only': { type: 'boolean', default: false },
} as const;

/** `digests dashboard --help`. */
export const DASHBOARD_USAGE = `Usage: digests dashboard [--config FILE] [--port N] [--host ADDRESS] [--token TOKEN] [--read-only] [--json]

Serves a web dashboard over the configured store: counts per state, the
next keys due, the most overdue ready keys, keys by state with a prefix
filter, one key's details and quarantined values, and the actions flush,
remove records, delete key (each confirmed; none with --read-only).
SIGINT/SIGTERM stop it.

  --port N          port to listen on (default 7070; 0 picks a free one)
  --host ADDRESS    address to listen on (default 127.0.0.1)
  --token TOKEN     access token (default $${TOKEN_ENV}); required when
                    --host is not a loopback address; at least 16 characters
  --read-only       show everything, change nothing
`;

/**
 * Reads the dashboard's flags (after the command line's own parsing).
 *
 * @example
 * ```ts
 * const flags = dashboardFlags({ port: '8080' }, process.env); // { host: '127.0.0.1', port: 8080, readOnly: false }
 * ```
 */
export function dashboardFlags(
  values: Readonly<Record<string, string | boolean | undefined>>,
  env: Readonly<Record<string, string | undefined>>,
): Pick<DashboardCommandOptions, 'host' | 'port' | 'token' | 'readOnly'> {
  const port = values.port === undefined ? 7070 : Number(values.port);
  if (!Number.isSafeInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--port must be an integer from 0 to 65535, got "${String(values.port)}"`);
  }
  const token = typeof values.token === 'string' ? values.token : env[TOKEN_ENV];
  return {
    host: typeof values.host === 'string' ? values.host : '127.0.0.1',
    port,
    readOnly: values['read-only'] === true,
    ...(token === undefined || token === '' ? {} : { token }),
  };
}

/**
 * Serves the dashboard until `signal` aborts, then closes it.
 *
 * @example
 * ```ts
 * await dashboardCommand(backend, { host: '127.0.0.1', port: 7070, readOnly: false, signal, description }, out);
 * ```
 */
export async function dashboardCommand(
  backend: Backend,
  options: DashboardCommandOptions,
  out: Output,
): Promise<void> {
  const dashboard = await startDashboard({
    backend,
    host: options.host,
    port: options.port,
    readOnly: options.readOnly,
    ...(options.token === undefined ? {} : { token: options.token }),
  });
  out.event(
    { event: 'listening', url: dashboard.url, readOnly: options.readOnly },
    `dashboard: ${options.description} at ${dashboard.url}${options.readOnly ? ' (read-only)' : ''}; Ctrl-C to stop`,
  );
  await new Promise<void>((resolve) => {
    if (options.signal === undefined) return; // runs until the process ends
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  out.progress('dashboard: stopping');
  await dashboard.close();
}
