/**
 * One chaos run against one store: start a private store space, 2 producer
 * and 3 worker processes, inject faults for `seconds`, stop the producers,
 * let the workers drain until every acknowledged id was delivered (or a
 * deadline passes), stop them, and tally the ledger.
 *
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerCounters } from '@digests/core';
import { PrivateRedisServer } from '@digests/redis/testing';
import mysql from 'mysql2';
import pg from 'pg';
import { MYSQL_URL, reachable, runId } from '../stores.js';
import {
  type ChaosPlace,
  type ChaosStore,
  openChaosBackend,
  placeToEnv,
  sleep,
} from './chaos-backend.js';
import { dropConnections, type FaultCounts, restartStore } from './faults.js';
import { deliveredBy, readLedger, type Tally, tallyLedger } from './ledger.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PRODUCERS = 2;
const WORKERS = 3;
const DRAIN_SECONDS = 90;
/** A run checks at least this many acknowledged records. */
const MIN_ADDED = 100;

export interface ChaosOptions {
  readonly store: ChaosStore;
  readonly seconds: number;
  /** PostgreSQL to use (a schema of its own is created and dropped). */
  readonly databaseUrl: string;
  /** MySQL / MariaDB to use (a database of its own is created and dropped). Default MYSQL_URL. */
  readonly mysqlUrl?: string;
  readonly log?: (message: string) => void;
}

export interface ChaosResult {
  readonly store: ChaosStore;
  readonly seconds: number;
  readonly tally: Tally;
  readonly faults: FaultCounts;
  /** Sum of the counters of the workers that stopped gracefully. */
  readonly workers: Partial<WorkerCounters>;
  /** Whether every acknowledged id was delivered before the drain deadline. */
  readonly drained: boolean;
  readonly drainMs: number;
}

/**
 * Runs chaos against `store` for `seconds`.
 *
 * @example
 * ```ts
 * const { tally } = await runChaos({ store: 'sqlite', seconds: 5, databaseUrl });
 * assert(tally.lost === 0);
 * ```
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), `digests-chaos-${options.store}-`));
  let redis: PrivateRedisServer | undefined;
  let place: ChaosPlace;
  const ledger = mkdtempSync(join(dir, 'ledger-'));
  switch (options.store) {
    case 'redis':
      redis = await PrivateRedisServer.start({
        dir: mkdtempSync(join(dir, 'redis-')),
        persistent: true,
      });
      place = { store: 'redis', target: redis.url, ledgerDir: ledger };
      break;
    case 'postgres':
      place = {
        store: 'postgres',
        target: options.databaseUrl,
        schema: `chaos_${runId()}`,
        ledgerDir: ledger,
      };
      break;
    case 'sqlite':
      place = { store: 'sqlite', target: join(dir, 'chaos.db'), ledgerDir: ledger };
      break;
    case 'mysql':
      place = {
        store: 'mysql',
        target: await createMysqlDatabase(options.mysqlUrl ?? MYSQL_URL, `chaos_${runId()}`),
        ledgerDir: ledger,
      };
      break;
  }
  const setup = openChaosBackend(place, 'orchestrator');
  await setup.backend.migrate?.();
  await setup.close();

  const faults: FaultCounts = { workersKilled: 0, connectionsDropped: 0, storeRestarts: 0 };
  const counters: Partial<WorkerCounters>[] = [];
  const spawnChild = (file: string, args: string[]): ChildProcess => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(HERE, file), ...args],
      {
        cwd: join(HERE, '..', '..'),
        env: { ...process.env, ...placeToEnv(place) },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    child.on('message', (message: { counters?: WorkerCounters }) => {
      if (message.counters !== undefined) counters.push(message.counters);
    });
    return child;
  };
  /** Resolves once the child said it is up (loading TypeScript takes seconds on a busy machine). */
  const ready = (child: ChildProcess): Promise<void> =>
    new Promise((resolve, reject) => {
      child.on('message', (message: { ready?: boolean }) => {
        if (message.ready === true) resolve();
      });
      child.once('exit', (code, signal) =>
        reject(new Error(`a chaos child exited early (${code ?? signal})`)),
      );
    });
  const producers = Array.from({ length: PRODUCERS }, (_, i) =>
    spawnChild('producer.ts', [String(i)]),
  );
  const workers = Array.from({ length: WORKERS }, () => spawnChild('worker.ts', []));

  try {
    await Promise.all([...producers, ...workers].map(ready));
    log(
      `${options.store}: ${PRODUCERS} producers, ${WORKERS} workers, faults for ${options.seconds} s`,
    );
    const started = Date.now();
    const end = started + options.seconds * 1000;
    const restartsAt =
      options.store === 'redis'
        ? [0.4, 0.8]
            .filter((f) => options.seconds * f >= 2)
            .map((f) => started + f * options.seconds * 1000)
        : [];
    for (let tick = 0; Date.now() < end; tick++) {
      await sleep(400 + Math.random() * 800);
      if (Date.now() >= end) break;
      const victim = Math.floor(Math.random() * workers.length);
      workers[victim]!.kill('SIGKILL');
      workers[victim] = spawnChild('worker.ts', []);
      faults.workersKilled++;
      if (tick % 3 === 1) faults.connectionsDropped += await dropConnections(place);
      if (restartsAt.length > 0 && Date.now() >= restartsAt[0]!) {
        restartsAt.shift();
        log(`${options.store}: restarting the private redis-server`);
        if (await restartStore(redis)) faults.storeRestarts++;
      }
    }

    // On a very busy machine a short run may not have added anything yet:
    // keep producing (faults over) until there is something to check.
    const enough = Date.now() + 30_000;
    while (readLedger(ledger).added.size < MIN_ADDED && Date.now() < enough) await sleep(250);
    log(`${options.store}: stopping producers, draining`);
    await Promise.all(producers.map((p) => stop(p, 20_000)));
    const drainStarted = Date.now();
    let drained = false;
    while (Date.now() - drainStarted < DRAIN_SECONDS * 1000) {
      // Drained once every id came out of a digest that committed: records an
      // interrupted digest handed over are still in the store until redelivered.
      const contents = readLedger(ledger);
      const { added, deliveries } = contents;
      const delivered = (id: string) =>
        deliveries.get(id)?.some((attempt) => deliveredBy(contents, attempt)) === true;
      if ([...added].every(delivered)) {
        drained = true;
        break;
      }
      await sleep(500);
    }
    const drainMs = Date.now() - drainStarted;
    await Promise.all(workers.map((w) => stop(w, 10_000)));
    const tally = tallyLedger(readLedger(ledger));
    return {
      store: options.store,
      seconds: options.seconds,
      tally,
      faults,
      workers: sumCounters(counters),
      drained,
      drainMs,
    };
  } finally {
    for (const child of [...producers, ...workers]) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await redis?.stop();
    if (place.store === 'postgres') {
      const client = new pg.Client({ connectionString: options.databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${place.schema}" CASCADE`);
      await client.end();
    }
    if (place.store === 'mysql') await dropMysqlDatabase(place.target);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Why `store` cannot run here, or undefined when it can. */
export async function chaosUnavailable(store: ChaosStore): Promise<string | undefined> {
  if (store === 'redis') {
    try {
      execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
      return undefined;
    } catch {
      return 'redis-server is not installed (chaos runs a private one)';
    }
  }
  if (store === 'postgres') return reachable('postgres');
  if (store === 'mysql') return reachable('mysql');
  return undefined;
}

/** Creates the run's own database (its name tags the chaos connections); resolves its URL. */
async function createMysqlDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = mysql.createConnection({ uri: serverUrl }).promise();
  try {
    await admin.query(`create database \`${name}\``);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropMysqlDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/';
  const admin = mysql.createConnection({ uri: url.toString() }).promise();
  try {
    await admin.query(`drop database if exists \`${name}\``);
  } finally {
    await admin.end();
  }
}

/** SIGTERM, then SIGKILL after `ms`. */
async function stop(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await exited;
  clearTimeout(timer);
}

function sumCounters(list: readonly Partial<WorkerCounters>[]): Partial<WorkerCounters> {
  const sum: Record<string, number> = {};
  for (const counters of list) {
    for (const [name, value] of Object.entries(counters)) {
      if (typeof value === 'number') sum[name] = (sum[name] ?? 0) + value;
    }
  }
  return sum as Partial<WorkerCounters>;
}
