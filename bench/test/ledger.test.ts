import { describe, expect, it } from 'vitest';
import { type LedgerContents, tallyLedger } from '../src/chaos/ledger.js';

function ledger(parts: Partial<LedgerContents>): LedgerContents {
  return {
    added: new Set(),
    retried: new Set(),
    attempted: new Set(),
    deliveries: new Map(),
    attempts: new Map(),
    committed: new Set(),
    finished: new Set(),
    ...parts,
  };
}

describe('chaos ledger tally', () => {
  it('counts a record delivered only by a digest that committed', () => {
    const tally = tallyLedger(
      ledger({
        added: new Set(['a', 'b', 'c']),
        attempted: new Set(['a', 'b', 'c']),
        // attempt 1 handed a and b, then never committed (killed, lease lost);
        // attempt 2 handed a again and committed. b was never committed: lost.
        deliveries: new Map([
          ['a', ['1', '2']],
          ['b', ['1']],
          ['c', ['3']],
        ]),
        attempts: new Map([
          ['1', { pid: 1, records: 2 }],
          ['2', { pid: 1, records: 1 }],
          ['3', { pid: 2, records: 1 }],
        ]),
        committed: new Set(['2', '3']),
      }),
    );
    expect(tally).toMatchObject({
      added: 3,
      delivered: 2,
      lost: 1,
      duplicates: 1,
      interruptedDigests: 1,
      interruptedRecords: 2,
      unexplainedDuplicates: 0,
    });
  });

  it('counts an attempt whose delivery finished, committed or not', () => {
    const tally = tallyLedger(
      ledger({
        added: new Set(['a', 'b']),
        attempted: new Set(['a', 'b']),
        // attempt 1 delivered a (F), then was killed around its commit;
        // attempt 2 handed b and was killed before its delivery finished.
        deliveries: new Map([
          ['a', ['1']],
          ['b', ['2']],
        ]),
        attempts: new Map([
          ['1', { pid: 1, records: 1 }],
          ['2', { pid: 1, records: 1 }],
        ]),
        finished: new Set(['1']),
      }),
    );
    expect(tally).toMatchObject({ added: 2, delivered: 1, lost: 1 });
  });
});
