/**
 * The chaos ledger: every process appends what it did to a file of its own
 * in one directory, one `write(2)` per line group on an `O_APPEND` file
 * descriptor — a process killed with SIGKILL cannot lose a line it wrote
 * (the kernel holds it), and it is fsynced on close. The orchestrator reads
 * them all at the end.
 *
 * ```text
 * producer-0-4711.log   T <id>                 about to add this id (written before the add)
 *                       A <id>                 add acknowledged by the store
 *                       R <id>                 add retried after a failure (maybe applied twice)
 * worker-4712.log       D <attempt> <id> <id>… a digest attempt handed these records to deliver
 *                       C <attempt>            that digest committed (backend.digest resolved)
 *                       F <attempt>            the delivery function finished (before the commit)
 * ```
 *
 * @module
 */
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An append-only ledger file.
 *
 * @example
 * ```ts
 * const ledger = new LedgerWriter(join(dir, `worker-${process.pid}.log`));
 * ledger.append(`C ${attempt}`);
 * ```
 */
export class LedgerWriter {
  readonly #fd: number;

  constructor(path: string) {
    this.#fd = openSync(path, 'a');
  }

  /** Appends one line (several ids may share it) in a single write. */
  append(line: string): void {
    writeSync(this.#fd, `${line}\n`);
  }

  close(): void {
    fsyncSync(this.#fd);
    closeSync(this.#fd);
  }
}

/** Everything the processes wrote, indexed. */
export interface LedgerContents {
  /** Acknowledged ids. */
  readonly added: Set<string>;
  /** Ids whose add was retried after an ambiguous failure. */
  readonly retried: Set<string>;
  /** Ids a producer was about to add (written before the add was sent). */
  readonly attempted: Set<string>;
  /** id → the attempts that handed it to the delivery function (committed or not). */
  readonly deliveries: Map<string, string[]>;
  /** attempt → pid of the worker that ran it, and how many records it delivered. */
  readonly attempts: Map<string, { pid: number; records: number }>;
  /** Attempts that committed. */
  readonly committed: Set<string>;
  /**
   * Attempts whose delivery function finished. Their commit may still have
   * failed or landed unseen (the worker was killed between the commit and
   * writing `C`, or the commit's answer was lost): the records were
   * delivered either way, and if the commit did not land they come again.
   */
  readonly finished: Set<string>;
}

/**
 * Reads every ledger file in `dir`.
 *
 * @example
 * ```ts
 * const { added, deliveries } = readLedger(dir);
 * ```
 */
export function readLedger(dir: string): LedgerContents {
  const contents: LedgerContents = {
    added: new Set(),
    retried: new Set(),
    attempted: new Set(),
    deliveries: new Map(),
    attempts: new Map(),
    committed: new Set(),
    finished: new Set(),
  };
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.log')) continue;
    const pid = Number(/-(\d+)\.log$/.exec(file)?.[1]);
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const parts = line.split(' ');
      switch (parts[0]) {
        case 'A':
          contents.added.add(parts[1]!);
          break;
        case 'R':
          contents.retried.add(parts[1]!);
          break;
        case 'T':
          contents.attempted.add(parts[1]!);
          break;
        case 'D': {
          const attempt = parts[1]!;
          const ids = parts.slice(2);
          contents.attempts.set(attempt, { pid, records: ids.length });
          for (const id of ids) {
            const list = contents.deliveries.get(id);
            if (list === undefined) contents.deliveries.set(id, [attempt]);
            else list.push(attempt);
          }
          break;
        }
        case 'C':
          contents.committed.add(parts[1]!);
          break;
        case 'F':
          contents.finished.add(parts[1]!);
          break;
      }
    }
  }
  return contents;
}

/** The final count of one chaos run. */
export interface Tally {
  readonly added: number;
  /** Ids handed to a delivery that finished (or to a digest that committed). */
  readonly delivered: number;
  /**
   * Acknowledged but never handed to a delivery that finished: must be 0. An
   * attempt killed or failed before its delivery finished does not count:
   * its records stay in the store and must come out of a later digest, or
   * they are lost (a store that drops a failed digest's snapshot shows here).
   */
  readonly lost: number;
  /** Deliveries beyond the first, over all ids. */
  readonly duplicates: number;
  /** Digest attempts that delivered but never committed (killed, lease lost, commit failed). */
  readonly interruptedDigests: number;
  /** Records those attempts delivered: the most duplicates they can explain. */
  readonly interruptedRecords: number;
  /** Duplicates of ids whose add was retried after an ambiguous failure. */
  readonly duplicatesFromRetriedAdds: number;
  /** An id delivered by two committed digests, its add never retried: must be 0. */
  readonly unexplainedDuplicates: number;
  /** Delivered ids no producer ever tried to add: must be 0. */
  readonly phantoms: number;
  /**
   * Delivered ids a producer sent (`T`) but never saw acknowledged (`A`): the
   * add failed ambiguously, or the producer was stopped with it in flight —
   * the store had applied it. At-least-once, not a phantom.
   */
  readonly ambiguousAdds: number;
}

/**
 * Counts a ledger.
 *
 * @example
 * ```ts
 * const tally = tallyLedger(readLedger(dir));
 * if (tally.lost > 0) process.exitCode = 1;
 * ```
 */
export function tallyLedger(ledger: LedgerContents): Tally {
  const delivered = new Set<string>();
  for (const [id, attempts] of ledger.deliveries) {
    if (attempts.some((attempt) => deliveredBy(ledger, attempt))) delivered.add(id);
  }
  let lost = 0;
  for (const id of ledger.added) if (!delivered.has(id)) lost++;
  let duplicates = 0;
  let duplicatesFromRetriedAdds = 0;
  let unexplainedDuplicates = 0;
  let phantoms = 0;
  let ambiguousAdds = 0;
  for (const [id, attempts] of ledger.deliveries) {
    if (!ledger.added.has(id)) {
      // Sent but never acknowledged: the add failed ambiguously, or the
      // producer was stopped (SIGKILL after its grace) with it in flight.
      if (ledger.retried.has(id) || ledger.attempted.has(id)) ambiguousAdds++;
      else phantoms++;
    }
    const extra = attempts.length - 1;
    duplicates += extra;
    if (extra === 0) continue;
    if (ledger.retried.has(id)) {
      duplicatesFromRetriedAdds += extra;
      continue;
    }
    const committed = attempts.filter((a) => ledger.committed.has(a)).length;
    unexplainedDuplicates += Math.max(0, committed - 1);
  }
  let interruptedDigests = 0;
  let interruptedRecords = 0;
  for (const [attempt, { records }] of ledger.attempts) {
    if (ledger.committed.has(attempt)) continue;
    interruptedDigests++;
    interruptedRecords += records;
  }
  return {
    added: ledger.added.size,
    delivered: delivered.size,
    lost,
    duplicates,
    interruptedDigests,
    interruptedRecords,
    duplicatesFromRetriedAdds,
    unexplainedDuplicates,
    phantoms,
    ambiguousAdds,
  };
}

/**
 * Whether `attempt` counts as a delivery: its digest committed, or its
 * delivery function finished (the records reached the caller; a commit that
 * did not land brings them again). An attempt killed or failed before its
 * delivery finished never counts — its records must come out of a later
 * digest, or they are lost.
 *
 * @example
 * ```ts
 * const done = attempts.some((attempt) => deliveredBy(ledger, attempt));
 * ```
 */
export function deliveredBy(ledger: LedgerContents, attempt: string): boolean {
  return ledger.committed.has(attempt) || ledger.finished.has(attempt);
}
