import type { Backend, TimelineRecord } from '../backend.js';
import { BackendUnavailableError } from '../errors.js';

/** A backend a {@link digestThroughKills} run can count the rows of. */
export type CountedBackend = Backend<unknown> & { storedRows(): Promise<number> };

/** What one {@link digestThroughKills} run saw. */
export interface KilledConnectionRun {
  /** `key/recordKey` of every record added. */
  readonly expected: readonly string[];
  /** `key/recordKey` of every delivery, repeats included, in order. */
  readonly delivered: readonly string[];
  /** How many of the first round's digests failed with `BackendUnavailableError`. */
  readonly unavailable: number;
  /** Rows the backend holds after the recovery rounds (0: everything was delivered and removed). */
  readonly storedAfter: number;
}

const T = 1_700_000_000_000;
const KEYS = 6;
const RECORDS = 60;

/**
 * The "connection killed mid-digest" scenario every server-backed adapter
 * runs: adds 60 records over 6 keys, digests each key once while `kill`
 * cuts the backend's server connections from inside the digest function,
 * then, once the interrupted leases expired (the clock moves 2 s; the
 * backend must be built with `leaseDuration: 1000`), runs maintenance and
 * the schedule until nothing is left. A digest failing with anything but
 * `BackendUnavailableError` rejects the run. The caller asserts on the
 * result: no record lost (`new Set(delivered)` equals `expected`), nothing
 * left (`storedAfter === 0`), and its own expectations on `unavailable`.
 *
 * @param open builds the backend over connections `kill` can reach, with the given clock
 * @param kill cuts the connections; called inside each first-round digest function, before the delivery is noted
 *
 * @example
 * ```ts
 * const run = await digestThroughKills(
 *   (clock) => new PostgresBackend({ pool, clock, leaseDuration: 1_000, minimumDelay: 0 }),
 *   async () => void (await terminate(application)),
 * );
 * expect(new Set(run.delivered)).toEqual(new Set(run.expected));
 * ```
 */
export async function digestThroughKills(
  open: (clock: () => number) => CountedBackend,
  kill: (key: string) => Promise<void>,
): Promise<KilledConnectionRun> {
  let now = T;
  const backend = open(() => now);
  try {
    const keys = Array.from({ length: KEYS }, (_, i) => `mail:p:${i}`);
    const expected: string[] = [];
    for (let i = 0; i < RECORDS; i++) {
      const key = keys[i % keys.length]!;
      expected.push(`${key}/e${i}`);
      await backend.add(key, { key: `e${i}`, value: { i }, timestamp: T + i });
    }
    const delivered: string[] = [];
    const note = (key: string, records: readonly TimelineRecord[]) => {
      for (const r of records) delivered.push(`${key}/${r.key}`);
    };

    let unavailable = 0;
    for (const key of keys) {
      await backend
        .digest(key, async (records) => {
          await kill(key);
          note(key, records);
        })
        .catch((error: unknown) => {
          if (!(error instanceof BackendUnavailableError)) throw error;
          unavailable++;
        });
    }

    // Once the leases of the interrupted digests expire, everything left is delivered.
    now += 2_000;
    for (let round = 0; round < 5 && (await backend.storedRows()) > 0; round++) {
      await backend.maintenance(now);
      for await (const { key } of backend.schedule(now)) {
        await backend.digest(key, (records) => note(key, records));
      }
    }
    return { expected, delivered, unavailable, storedAfter: await backend.storedRows() };
  } finally {
    await backend.close();
  }
}
