/**
 * A chaos producer (a child process): adds records with unique ids to
 * random timelines until SIGTERM, retrying every failed add until the store
 * acknowledges it, and appends each acknowledged id to its ledger. An add
 * that failed may still have been applied (the reply was lost): its id is
 * marked `R`, since a retry after a digest delivers it twice.
 *
 *   CHAOS_* env from the orchestrator; argv: <producer index>
 *
 * @module
 */
import { join } from 'node:path';
import { openChaosBackend, placeFromEnv, sleep } from './chaos-backend.js';
import { LedgerWriter } from './ledger.js';

const TIMELINES = 40;
const LANES = 4;

const place = placeFromEnv();
const index = process.argv[2] ?? '0';
const ledger = new LedgerWriter(join(place.ledgerDir, `producer-${index}-${process.pid}.log`));
const { backend, close } = openChaosBackend(place, 'producer');
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});

process.send?.({ ready: true });

let sequence = 0;
const lane = async (): Promise<void> => {
  while (!stopping) {
    const id = `p${index}.${process.pid}.${sequence++}`;
    const key = `chaos:${Math.floor(Math.random() * TIMELINES)}`;
    ledger.append(`T ${id}`);
    for (let attempt = 0; ; attempt++) {
      try {
        await backend.add(key, { key: id, value: id, timestamp: Date.now() });
        break;
      } catch {
        if (attempt === 0) ledger.append(`R ${id}`);
        await sleep(50);
      }
    }
    ledger.append(`A ${id}`);
    await sleep(2);
  }
};

await Promise.all(Array.from({ length: LANES }, lane));
ledger.close();
await close();
process.exit(0);
