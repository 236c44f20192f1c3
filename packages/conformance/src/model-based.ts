import type {
  Backend,
  BackendOptions,
  ScheduleEntry,
  TimelineInfo,
  TimelineRecord,
} from '@digests/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EPOCH } from './harness.js';
import {
  type DigestCommand,
  MODEL_TIMELINE_KEYS,
  type ModelBasedOptions,
  type ModelCommand,
  type ModelScenario,
  modelCommands,
  modelOptions,
  strip,
} from './model-commands.js';
import { propertyRuns } from './property-runs.js';
import {
  type ExpectedError,
  MODEL_LEASE_DURATION,
  type ModelOptions,
  ReferenceModel,
} from './reference-model.js';
import { backendTarget, type ConformanceTarget, type KitTarget, storedItemsOf } from './target.js';

// ---------------------------------------------------------------- execution

/** The error `fn` throws when a command asks it to fail. */
class DeliveryFailed extends Error {
  override readonly name = 'DeliveryFailed';
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(promise: Promise<T> | (() => Promise<T>)): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await (typeof promise === 'function' ? promise() : promise) };
  } catch (error) {
    return { ok: false, error };
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The timeline keys whose state `command` may change. */
function touched(command: ModelCommand): readonly string[] {
  switch (command.op) {
    case 'schedule':
    case 'maintenance':
      return MODEL_TIMELINE_KEYS;
    case 'advance':
    case 'inspect':
      return [];
    case 'digest':
      return [...new Set([command.key, ...command.inside.flatMap(touched)])];
    default:
      return [command.key];
  }
}

/** `inspect` without the optional fields that are `undefined`. */
function normalize(info: TimelineInfo): TimelineInfo {
  return strip({ ...info });
}

/**
 * Runs commands against a backend and the reference model in lockstep and
 * asserts that every observable result is the same. Exported so that
 * regression cases can replay a shrunk sequence.
 *
 * @example
 * ```ts
 * const run = new ModelRun(backend, options, clock);
 * await run.execute([{ op: 'add', key: 'a', recordKey: 'r1', at: 0, value: 1 }]);
 * ```
 */
export class ModelRun {
  readonly model: ReferenceModel;
  readonly #backend: Backend<unknown>;
  readonly #clock: { now: number };
  #step = '';

  constructor(backend: Backend<unknown>, options: ModelOptions, clock: { now: number }) {
    this.#backend = backend;
    this.#clock = clock;
    this.model = new ReferenceModel(options, () => clock.now);
  }

  /**
   * Runs `commands`; after each top-level one, compares `inspect` of every
   * key it may have changed, and of every key at the end.
   */
  async execute(commands: readonly ModelCommand[]): Promise<void> {
    for (const [index, command] of commands.entries()) {
      this.#step = `command #${index} ${fc.stringify(command)}`;
      await this.#run(command);
      for (const key of touched(command)) await this.#compareInspect(key, 'after');
    }
    this.#step = 'the end of the sequence';
    for (const key of MODEL_TIMELINE_KEYS) await this.#compareInspect(key, 'at');
  }

  async #compareInspect(key: string, when: string): Promise<void> {
    const actual = normalize(await this.#backend.inspect(key));
    expect(actual, `${when} ${this.#step}: inspect(${JSON.stringify(key)})`).toEqual(
      this.model.inspect(key),
    );
  }

  async #run(command: ModelCommand): Promise<void> {
    const label = `${this.#step}${this.#step.includes(fc.stringify(command)) ? '' : ` → ${fc.stringify(command)}`}`;
    const now = this.#clock.now;
    switch (command.op) {
      case 'add': {
        const record: TimelineRecord = {
          key: command.recordKey,
          value: command.value,
          timestamp: now + command.at,
        };
        const options = strip({
          incrementDelay: command.incrementDelay,
          maximumDelay: command.maximumDelay,
          dueAt: command.dueAt === undefined ? undefined : now + command.dueAt,
          flushThreshold: command.flushThreshold,
        });
        const actual = await settle(this.#backend.add(command.key, record, options));
        const expected = this.model.add(command.key, record, options);
        expect(actual, label).toEqual({ ok: true, value: expected });
        return;
      }
      case 'schedule': {
        const at = Number.isFinite(command.deadline) ? now + command.deadline : command.deadline;
        const options = strip({ chunkSize: command.chunkSize });
        const actual = await settle(async () => {
          const entries: ScheduleEntry[] = [];
          for await (const entry of this.#backend.schedule(at, options)) entries.push(entry);
          return entries;
        });
        expect(actual, label).toEqual({ ok: true, value: this.model.schedule(at) });
        return;
      }
      case 'maintenance': {
        const at = Number.isFinite(command.deadline) ? now + command.deadline : command.deadline;
        const actual = await settle(this.#backend.maintenance(at));
        expect(actual, label).toEqual({ ok: true, value: this.model.maintenance(at) });
        return;
      }
      case 'flush': {
        const actual = await settle(this.#backend.flush(command.key));
        this.model.flush(command.key);
        expect(actual, label).toEqual({ ok: true, value: undefined });
        return;
      }
      case 'delete': {
        const actual = await settle(this.#backend.delete(command.key));
        this.model.delete(command.key);
        expect(actual, label).toEqual({ ok: true, value: undefined });
        return;
      }
      case 'remove': {
        const actual = await settle(this.#backend.remove(command.key, command.recordKeys));
        const expected = this.model.remove(command.key, command.recordKeys);
        expect(actual, label).toEqual({ ok: true, value: expected });
        return;
      }
      case 'inspect':
        await this.#compareInspect(command.key, 'at');
        return;
      case 'advance':
        this.#clock.now += command.ms;
        return;
      case 'digest':
        await this.#digest(command, label);
        return;
    }
  }

  async #digest(command: DigestCommand, label: string): Promise<void> {
    const opened = this.model.openDigest(command.key, command.minimumDelay, command.limit);
    const failure = new DeliveryFailed(`fn of ${label} fails on purpose`);
    let handed: readonly TimelineRecord[] | undefined;
    // An assertion that failed inside fn must surface as itself, not as fn's failure.
    let broken: unknown;
    const result = `delivered ${command.key}`;
    const actual = await settle(
      this.#backend.digest(
        command.key,
        async (records) => {
          handed = records;
          if ('error' in opened) return result;
          try {
            for (const inner of command.inside) await this.#run(inner);
          } catch (error) {
            broken = error;
            throw error;
          }
          if (command.fail) throw failure;
          return result;
        },
        strip({ minimumDelay: command.minimumDelay, limit: command.limit }),
      ),
    );
    if (broken !== undefined) throw broken;
    if ('error' in opened) {
      expect(
        actual.ok ? `resolved (fn handed ${fc.stringify(handed)})` : errorName(actual.error),
        `${label}: the model expects ${opened.error.name}`,
      ).toMatch(new RegExp(`^${opened.error.name}`));
      return;
    }
    expect(handed, `${label}: the records fn was handed`).toEqual(opened.records);
    const finished = this.model.finishDigest(opened, !command.fail);
    const expected: ExpectedError | typeof failure | typeof result =
      'error' in finished ? finished.error : command.fail ? failure : result;
    if (typeof expected === 'function') {
      expect(
        actual.ok ? `resolved ${fc.stringify(actual.value)}` : errorName(actual.error),
        `${label}: the model expects ${expected.name}`,
      ).toMatch(new RegExp(`^${expected.name}`));
      if (!actual.ok) expect(actual.error, label).toBeInstanceOf(expected);
    } else if (expected === failure) {
      expect(actual, `${label}: fn's error is re-thrown`).toEqual({ ok: false, error: failure });
      if (!actual.ok) expect(actual.error, label).toBe(failure);
    } else {
      expect(actual, `${label}: digest resolves fn's result`).toEqual({ ok: true, value: result });
    }
  }
}

/**
 * Builds a fresh backend for one sequence, runs it against the reference
 * model, then deletes every key and (when the target can read the store)
 * checks that nothing is left.
 *
 * @example
 * ```ts
 * await replayModelScenario(target, { options: { minimumDelay: 100, incrementDelay: 30, maximumDelay: 500 }, commands });
 * ```
 */
export async function replayModelScenario(
  target: ConformanceTarget,
  scenario: ModelScenario,
): Promise<void> {
  const clock = { now: EPOCH };
  const backendOptions: BackendOptions<unknown> = {
    ...scenario.options,
    leaseDuration: scenario.options.leaseDuration ?? MODEL_LEASE_DURATION,
    clock: () => clock.now,
  };
  const backend = await target.create(backendOptions);
  try {
    await new ModelRun(backend, scenario.options, clock).execute(scenario.commands);
    for (const key of MODEL_TIMELINE_KEYS) await backend.delete(key);
    if (target.storedItems !== false) {
      expect(await storedItemsOf(target, backend), 'stored items after deleting every key').toBe(0);
    }
  } finally {
    await (target.destroy ?? ((b: Backend<unknown>) => b.close()))(backend);
  }
}

/**
 * Registers model-based conformance tests for `target`: fast-check generates
 * random sequences of add / schedule / digest (succeeding and failing, with
 * commands run while `fn` runs) / maintenance / flush / delete / inspect /
 * clock moves over a few keys; each runs against a fresh backend and a plain
 * reference model of SPEC, and every result must match. A failure prints the
 * shrunk sequence and the seed (`DIGESTS_SEED=<seed>` replays it; `DIGESTS_PROPERTY_RUNS` sets the count).
 *
 * @example
 * ```ts
 * import { runModelBasedConformance } from '@digests/conformance';
 * import { MemoryBackend } from '@digests/memory';
 *
 * runModelBasedConformance(
 *   { name: 'memory', create: async (options) => new MemoryBackend(options) },
 *   { numRuns: 100, maxCommands: 40 },
 * );
 * ```
 */
export function runModelBasedConformance(
  kitTarget: KitTarget,
  options: ModelBasedOptions = {},
): void {
  const target = backendTarget(kitTarget);
  const { numRuns, seed } = propertyRuns(`${target.name} model-based`, options, 50);
  const maxCommands = options.maxCommands ?? 40;
  const timeout = options.timeout ?? 240_000;
  const variants = [
    {
      title:
        'add (dueAt, flushThreshold), schedule, digest (limit), maintenance, flush, delete, remove',
      nested: false,
      capacity: false,
    },
    { title: 'commands while a digest runs', nested: true, capacity: false },
    { title: 'capacity (chance 0 or 1), fractional timestamps', nested: true, capacity: true },
    // Long in real time (renewal never fires), short for the fake clock's jumps.
    { title: 'leases expiring while fn runs', nested: true, capacity: false, lease: 600_000 },
  ];
  describe(`${target.name} model-based conformance (seed ${seed})`, () => {
    for (const variant of variants) {
      it(
        `${variant.title} match the reference model`,
        async () => {
          const scenario = fc.record({
            options: modelOptions(variant.capacity).map((o) =>
              variant.lease === undefined ? o : { ...o, leaseDuration: variant.lease },
            ),
            commands: modelCommands({
              maxCommands,
              nested: variant.nested,
              fractional: variant.capacity,
              ...(variant.lease === undefined ? {} : { leaseDuration: variant.lease }),
            }),
          });
          await fc.assert(
            fc.asyncProperty(scenario, (s) => replayModelScenario(target, s)),
            { numRuns, seed },
          );
        },
        timeout,
      );
    }
  });
}
