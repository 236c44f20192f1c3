/**
 * How many inputs a property tries, and from which seed. The seed varies
 * from run to run (so repeated runs explore new sequences) and is printed,
 * so a failure can be replayed with `DIGESTS_SEED=<seed>`.
 * `DIGESTS_PROPERTY_RUNS` overrides the run count (e.g. 1000 in a nightly job).
 *
 * @example
 * ```ts
 * const { numRuns, seed } = propertyRuns('memory model-based', { numRuns: 50 });
 * await fc.assert(property, { numRuns, seed });
 * ```
 */
export function propertyRuns(
  label: string,
  options: { readonly numRuns?: number; readonly seed?: number },
  defaultRuns: number,
): { readonly numRuns: number; readonly seed: number } {
  const numRuns = fromEnv('DIGESTS_PROPERTY_RUNS') ?? options.numRuns ?? defaultRuns;
  const seed = options.seed ?? fromEnv('DIGESTS_SEED') ?? randomSeed();
  console.info(
    `[digests conformance] ${label}: ${numRuns} runs, seed ${seed} (replay: DIGESTS_SEED=${seed})`,
  );
  return { numRuns, seed };
}

function fromEnv(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got "${text}"`);
  return value;
}

function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fff_ffff);
}
