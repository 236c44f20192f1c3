/**
 * The help texts. `digests --help` prints the overview; `digests CMD --help`
 * the command's own.
 *
 * @module
 */

import { DASHBOARD_USAGE } from './commands/dashboard.js';

/** The overview: `digests --help`. */
export const USAGE = `Usage: digests <command> [options]

Commands:
  worker               run the digest worker until SIGINT/SIGTERM, printing each digest
  inspect KEY          show one timeline: state, due time, records, last digest
  stats                keys per state, records held, when the next key is due
  add KEY --value JSON add one record (for trying things)
  list                 keys in schedule order (--state waiting|ready, --limit N)
  remove KEY RECORD…   cancel pending records of a timeline
  flush KEY            make a waiting timeline ready now
  delete KEY           drop a timeline: records, snapshot, quarantine, schedule
  quarantine KEY       values a digest could not decode (--delete [RECORD…])
  dashboard            serve the web dashboard (--port, --host, --token, --read-only)

Options (every command):
  --config FILE        the DI config (default: $DIGESTS_CONFIG, else ./digests.config.json)
  --json               machine-readable output on stdout (errors as JSON on stderr)
  -h, --help           show help
  -v, --version        show the version

Exit codes: 0 ok · 1 runtime error (message and code on stderr; also a
"worker --once" pass that could not reach the store) · 2 usage error.
Benchmarks are not a command: run \`npm run bench\` in the repository.
`;

/** Per-command help. */
export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  dashboard: DASHBOARD_USAGE,
  worker: `Usage: digests worker [--config FILE] [--interval MS] [--concurrency N] [--maintenance-age MS] [--once] [--json]

Runs a DigestWorker on the configured store: every interval, maintenance,
schedule, then each due key is digested and printed (one JSON line each with
--json). SIGINT/SIGTERM stop it gracefully (running digests finish) and it
exits 0; a second signal exits at once.

  --interval MS         between passes (default: the config's worker.interval, else 10000)
  --concurrency N       digests at once (default: worker.concurrency, else 4)
  --maintenance-age MS  ready keys older than this are rescheduled (default 300000)

The config's "worker" section sets these defaults and per-key rules
(worker.keys: delays, calendar windows, enabled).
  --once                run one pass, then exit (1 if it could not reach the store)
  --status-every MS     a status line on stderr this often (default 60000)
`,
  inspect: `Usage: digests inspect KEY [--config FILE] [--json]

Shows the timeline KEY: absent, waiting (and when it is due) or ready (and
since when), how many records it holds, and when it was last digested.
`,
  stats: `Usage: digests stats [--config FILE] [--json]

Counts the whole store: waiting and ready keys, records held, and when the
next waiting key is due. Needs a backend that can count itself (stats());
otherwise it fails with code DIGESTS_STATS_UNSUPPORTED.
`,
  add: `Usage: digests add KEY --value JSON [--record-key K] [--timestamp T] [--config FILE] [--json]

Adds one record to the timeline KEY through a DigestWorker: the first record
of a quiet timeline is delivered (printed) at once; later ones wait for the
schedule, and a running \`digests worker\` delivers them.

  --value JSON       the record's value, e.g. '{"text":"disk full"}' (required)
  --record-key K     the record's key (default cli-<uuid>); an existing key is replaced
  --timestamp T      milliseconds since the epoch or an ISO date (default now)
`,
  list: `Usage: digests list [--state waiting|ready] [--limit N] [--config FILE] [--json]

Lists keys in schedule order (due time, then key): state, when each is due
(waiting) or since when it is ready, and how many records it holds. Pages
through the store; a progress line goes to stderr when that takes long.

  --state S   only waiting or only ready keys (default both)
  --limit N   show at most N keys (default 100)
`,
  remove: `Usage: digests remove KEY RECORD… [--config FILE] [--json]

Cancels the named pending records of the timeline KEY ("cancel one event"),
also from a snapshot a failed digest left behind. Records being delivered
right now are not touched. The schedule is unchanged.
`,
  flush: `Usage: digests flush KEY [--config FILE] [--json]

Makes a waiting timeline ready now ("digest now"). A worker delivers it once
its maintenance hands ready keys back to the schedule (--maintenance-age);
"digests worker --once --maintenance-age 0" delivers it at once.
`,
  delete: `Usage: digests delete KEY [--config FILE] [--json]

Deletes the timeline KEY for good: its records, a left-over snapshot, its
quarantined values, its last-digest time and its schedule entry.
`,
  quarantine: `Usage: digests quarantine KEY [--delete [RECORD…]] [--config FILE] [--json]

Shows the values of KEY that a digest could not decode and set aside (never
dropped silently): record key, timestamp, size and the raw value.

  --delete [RECORD…]   delete them: all, or the named records
`,
};
