/**
 * The dashboard as its own HTTP server, as `digests dashboard` runs it.
 * It listens on 127.0.0.1 unless told otherwise, and refuses to listen
 * anywhere else without an access token.
 *
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError } from '@digests/core';
import { createDashboardHandler, type DashboardOptions } from './handler.js';

/** The port `digests dashboard` listens on by default. */
export const DEFAULT_PORT = 7070;

/** The environment variable holding the access token, when `--token` is not given. */
export const TOKEN_ENV = 'DIGESTS_DASHBOARD_TOKEN';

/**
 * Where and how the server listens, beside the handler's options.
 *
 * @example
 * ```ts
 * const options: DashboardServerOptions = { backend, port: 7070, readOnly: true };
 * ```
 */
export interface DashboardServerOptions extends DashboardOptions {
  /** Default 127.0.0.1. Any other address needs `token`. */
  readonly host?: string;
  /** Default 7070; 0 picks a free port. */
  readonly port?: number;
}

/**
 * A running dashboard server.
 *
 * @example
 * ```ts
 * const dashboard = await startDashboard({ backend });
 * console.log(dashboard.url);
 * await dashboard.close();
 * ```
 */
export interface RunningDashboard {
  /** `http://127.0.0.1:7070/` */
  readonly url: string;
  readonly server: Server;
  /** Stops listening and ends open connections; the backend stays open. */
  close(): Promise<void>;
}

/**
 * Whether `host` is a loopback address, reachable from this machine only.
 *
 * @example
 * ```ts
 * isLoopback('127.0.0.1'); // true
 * isLoopback('0.0.0.0'); // false
 * ```
 */
export function isLoopback(host: string): boolean {
  return (
    host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/**
 * Starts the dashboard server and resolves once it listens.
 *
 * @example
 * ```ts
 * const dashboard = await startDashboard({ backend, host: '0.0.0.0', token: process.env.DIGESTS_DASHBOARD_TOKEN });
 * ```
 */
export async function startDashboard(options: DashboardServerOptions): Promise<RunningDashboard> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isSafeInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigurationError(`dashboard: port must be an integer from 0 to 65535, got ${port}`);
  }
  if (!isLoopback(host) && (options.token === undefined || options.token === '')) {
    throw new ConfigurationError(
      `dashboard: listening on ${host} (not loopback) needs an access token: pass --token or set ${TOKEN_ENV}`,
    );
  }
  if (options.token !== undefined && options.token !== '' && options.token.length < 16) {
    throw new ConfigurationError('dashboard: the access token must be at least 16 characters');
  }
  const tokenless = options.token === undefined || options.token === '';
  const handler = createDashboardHandler({
    ...options,
    ...(options.allowedHosts === undefined && tokenless
      ? { allowedHosts: ['localhost', '127.0.0.1', '[::1]', host] }
      : {}),
  });
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  return {
    url: `http://${shownHost}:${address.port}${base}/`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
