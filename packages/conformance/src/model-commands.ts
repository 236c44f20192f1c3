/**
 * The commands of the model-based group — what fast-check generates: adds,
 * schedules, digests (succeeding, failing, with commands run inside them),
 * maintenance, flush, delete, inspect and clock moves — and the options
 * they run under.
 *
 * @module
 */
import fc from 'fast-check';
import type { ModelOptions } from './reference-model.js';

/** Timeline keys: few, so that commands collide; shaped to stress key layouts. */
export const MODEL_TIMELINE_KEYS = ['a', 'a:b', '{a}', '😀'] as const;
/** Record keys: few, so that adds replace records often. */
export const MODEL_RECORD_KEYS = ['r1', 'r2', 'r:3', '{r}', 'é'] as const;

/** A command run while a digest's `fn` runs (a nested digest runs none itself). */
export type InnerCommand =
  | AddCommand
  | ScheduleCommand
  | MaintenanceCommand
  | FlushCommand
  | DeleteCommand
  | RemoveCommand
  | InspectCommand
  | AdvanceCommand
  | (DigestCommand & { readonly inside: readonly [] });

/** One step of a model-based run; plain data, so fast-check prints and shrinks it. */
export type ModelCommand = InnerCommand | DigestCommand;

interface AddCommand {
  readonly op: 'add';
  readonly key: string;
  readonly recordKey: string;
  /** The record's timestamp, relative to the clock. */
  readonly at: number;
  readonly value: unknown;
  readonly incrementDelay?: number;
  readonly maximumDelay?: number;
  /** A fixed due time, relative to the clock. */
  readonly dueAt?: number;
  readonly flushThreshold?: number;
}
interface RemoveCommand {
  readonly op: 'remove';
  readonly key: string;
  readonly recordKeys: readonly string[];
}
interface ScheduleCommand {
  readonly op: 'schedule';
  /** The deadline, relative to the clock (±Infinity as is). */
  readonly deadline: number;
  readonly chunkSize?: number;
}
interface MaintenanceCommand {
  readonly op: 'maintenance';
  readonly deadline: number;
}
interface FlushCommand {
  readonly op: 'flush';
  readonly key: string;
}
interface DeleteCommand {
  readonly op: 'delete';
  readonly key: string;
}
interface InspectCommand {
  readonly op: 'inspect';
  readonly key: string;
}
interface AdvanceCommand {
  readonly op: 'advance';
  readonly ms: number;
}
export interface DigestCommand {
  readonly op: 'digest';
  readonly key: string;
  /** Whether `fn` throws (after running `inside`). */
  readonly fail: boolean;
  readonly minimumDelay?: number;
  /** At most this many records, the oldest. */
  readonly limit?: number;
  /** Commands run while `fn` runs, before it returns or throws. */
  readonly inside: readonly InnerCommand[];
}

/** What a model-based run may vary: the backend's options and which commands appear. */
export interface ModelScenario {
  readonly options: ModelOptions;
  readonly commands: readonly ModelCommand[];
}

/** Options of {@link runModelBasedConformance}. */
export interface ModelBasedOptions {
  /** Sequences per property (default 50; `DIGESTS_PROPERTY_RUNS` in the environment overrides it). */
  readonly numRuns?: number;
  /** The longest sequence (default 40). */
  readonly maxCommands?: number;
  /** fast-check seed; default `DIGESTS_SEED` from the environment, else a fresh random one (printed). */
  readonly seed?: number;
  /** Timeout per property in ms (default 240 000). */
  readonly timeout?: number;
}

// ---------------------------------------------------------------- arbitraries

const timelineKey = fc.constantFrom(...MODEL_TIMELINE_KEYS);
const recordKey = fc.constantFrom(...MODEL_RECORD_KEYS);
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1_000, max: 1_000 }),
  fc.string({ maxLength: 6 }),
  fc.constant(null),
  fc.boolean(),
  fc.record({ n: fc.integer(), tags: fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }) }),
);
const offset = (limit: number, fractional: boolean): fc.Arbitrary<number> =>
  fractional
    ? fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: -limit, max: limit }) },
        { weight: 1, arbitrary: fc.integer({ min: -limit, max: limit }).map((n) => n + 0.25) },
      )
    : fc.integer({ min: -limit, max: limit });
const deadline = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -300, max: 700 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
);
const perCallDelay = fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined, freq: 3 });

function addCommand(fractional: boolean): fc.Arbitrary<AddCommand> {
  return fc
    .record({
      key: timelineKey,
      recordKey,
      at: offset(600, fractional),
      value,
      incrementDelay: perCallDelay,
      maximumDelay: perCallDelay,
      dueAt: fc.option(fc.integer({ min: -100, max: 700 }), { nil: undefined, freq: 4 }),
      flushThreshold: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined, freq: 4 }),
    })
    .map((c) => strip({ op: 'add', ...c }));
}

function simpleCommands(leaseDuration: number | undefined): fc.Arbitrary<InnerCommand>[] {
  // With a short lease, clock moves sometimes reach (exactly) its end.
  const ms =
    leaseDuration === undefined
      ? fc.integer({ min: 0, max: 500 })
      : fc.oneof(
          { weight: 2, arbitrary: fc.integer({ min: 0, max: 500 }) },
          { weight: 1, arbitrary: fc.constantFrom(leaseDuration - 1, leaseDuration) },
        );
  return [
    fc
      .record({
        deadline,
        chunkSize: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      })
      .map((c) => strip({ op: 'schedule' as const, ...c })),
    deadline.map((d) => ({ op: 'maintenance' as const, deadline: d })),
    timelineKey.map((key) => ({ op: 'flush' as const, key })),
    timelineKey.map((key) => ({ op: 'delete' as const, key })),
    fc
      .record({
        key: timelineKey,
        recordKeys: fc.uniqueArray(recordKey, { minLength: 1, maxLength: 3 }),
      })
      .map((c) => ({ op: 'remove' as const, ...c })),
    timelineKey.map((key) => ({ op: 'inspect' as const, key })),
    ms.map((n) => ({ op: 'advance' as const, ms: n })),
  ];
}

function digestCommand<I extends readonly InnerCommand[]>(
  inside: fc.Arbitrary<I>,
): fc.Arbitrary<DigestCommand & { inside: I }> {
  return fc
    .record({
      key: timelineKey,
      fail: fc.boolean(),
      minimumDelay: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined, freq: 3 }),
      limit: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 3 }),
      inside,
    })
    .map((c) => strip({ op: 'digest' as const, ...c }));
}

/**
 * Command sequences: adds and digests are frequent (they make the states
 * worth exploring); `nested` lets a digest's `fn` run other commands.
 */
export function modelCommands(options: {
  maxCommands: number;
  nested: boolean;
  fractional: boolean;
  leaseDuration?: number;
}): fc.Arbitrary<ModelCommand[]> {
  const add = addCommand(options.fractional);
  const simple = simpleCommands(options.leaseDuration);
  const flatDigest = digestCommand(fc.constant([] as const));
  const { leaseDuration } = options;
  // With a short lease, fn often outlives it and another digest takes over.
  const expire: fc.Arbitrary<InnerCommand>[] =
    leaseDuration === undefined
      ? []
      : [
          fc
            .constantFrom(leaseDuration - 1, leaseDuration)
            .map((ms) => ({ op: 'advance' as const, ms })),
        ];
  const inner: fc.Arbitrary<InnerCommand> = fc.oneof(
    { weight: 3, arbitrary: add },
    ...simple.map((arbitrary) => ({ weight: 1, arbitrary })),
    ...expire.map((arbitrary) => ({ weight: 4, arbitrary })),
    { weight: leaseDuration === undefined ? 1 : 4, arbitrary: flatDigest },
  );
  const digest: fc.Arbitrary<ModelCommand> = options.nested
    ? digestCommand(fc.array(inner, { maxLength: 3, size: 'max' }))
    : flatDigest;
  const command: fc.Arbitrary<ModelCommand> = fc.oneof(
    { weight: 5, arbitrary: add },
    { weight: 3, arbitrary: digest },
    ...simple.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
  return fc.array(command, { maxLength: options.maxCommands, size: 'max' });
}

/** Small delays; sometimes a capacity that trims always (chance 1) or never (chance 0). */
export function modelOptions(withCapacity: boolean): fc.Arbitrary<ModelOptions> {
  const delays = fc
    .record({
      minimumDelay: fc.constantFrom(0, 100, 250),
      incrementDelay: fc.constantFrom(0, 30, 120),
      maximumDelay: fc.constantFrom(500, 200),
      flushThreshold: fc.option(fc.constantFrom(2, 3), { nil: undefined, freq: 4 }),
    })
    .map(strip);
  if (!withCapacity) return delays;
  return fc
    .tuple(
      delays,
      fc.oneof(
        fc.record({
          capacity: fc.integer({ min: 1, max: 3 }),
          truncationChance: fc.constantFrom<0 | 1>(0, 1),
        }),
        // Without an explicit chance, only capacity 1 trims deterministically (1/1).
        fc.constant({ capacity: 1 }),
      ),
    )
    .map(([d, c]) => ({ ...d, ...c }));
}

export function strip<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}
