import { LuaScript } from '../lua-script.js';
import { ADD_RECORD } from './add.js';
import { PRELUDE } from './prelude.js';

/** Per entry: KEYS timeline, values, last. */
const ADD_MANY_KEYS_PER_ENTRY = 3;
/** Per entry: ARGV key, record key, timestamp, value, capacity. */
const ADD_MANY_ARGS_PER_ENTRY = 5;

/**
 * `addMany` for the entries of one shard: `add_record` (the body of `ADD`,
 * see {@link ADD_RECORD}) on each entry in order, in one atomic call.
 * Replies one 1/0 per entry (1: the key was absent), in order.
 *
 * KEYS: waiting, ready, touched, then per entry timeline, values, last.
 * ARGV: incrementDelay, maximumDelay, now ('' = no ttl bookkeeping), then per
 * entry key, record key, timestamp, value, capacity ('' = no trim).
 *
 * @example
 * ```ts
 * const firsts = (await ADD_MANY.run(client, keys, args)) as number[];
 * ```
 */
export const ADD_MANY = new LuaScript(
  'add-many',
  `${PRELUDE}${ADD_RECORD}
local results = {}
local n = (#ARGV - 3) / ${ADD_MANY_ARGS_PER_ENTRY}
for i = 0, n - 1 do
  local k = 3 + i * ${ADD_MANY_KEYS_PER_ENTRY}
  local a = 3 + i * ${ADD_MANY_ARGS_PER_ENTRY}
  results[i + 1] = add_record(KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[1], KEYS[2], KEYS[3],
    ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[1], ARGV[2], ARGV[3])
end
return results
`,
);
