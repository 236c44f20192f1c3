/**
 * Every instrument digests reports, in one table: the code creates them from
 * it and `README.md` in this folder documents it (a test keeps the two
 * equal). Names follow OpenTelemetry's semantic-convention style: a
 * `digests.` namespace, dot-separated, units in UCUM (`s`, `{record}`).
 *
 * @module
 */

/** The kinds of instrument digests uses. */
export type InstrumentKind = 'counter' | 'histogram' | 'gauge';

/**
 * One instrument as documented.
 *
 * @example
 * ```ts
 * const { name, unit } = INSTRUMENTS.recordsDelivered; // 'digests.records.delivered', '{record}'
 * ```
 */
export interface InstrumentSpec {
  readonly name: string;
  readonly kind: InstrumentKind;
  readonly unit: string;
  readonly description: string;
  /** Attributes recorded with it, if any. */
  readonly attributes?: readonly string[];
}

/**
 * The state attribute of {@link INSTRUMENTS.keys}: `waiting` or `ready`.
 *
 * @example
 * ```ts
 * result.observe(stats.ready, { [KEY_STATE_ATTRIBUTE]: 'ready' });
 * ```
 */
export const KEY_STATE_ATTRIBUTE = 'digests.key.state';

/**
 * The instruments, by the name the code uses.
 *
 * @example
 * ```ts
 * meter.createCounter(INSTRUMENTS.recordsAdded.name, { unit: INSTRUMENTS.recordsAdded.unit });
 * ```
 */
export const INSTRUMENTS = {
  recordsAdded: {
    name: 'digests.records.added',
    kind: 'counter',
    unit: '{record}',
    description: 'Records stored through the worker (`worker.add`).',
  },
  digestsDelivered: {
    name: 'digests.digests.delivered',
    kind: 'counter',
    unit: '{digest}',
    description:
      'Digests handed to the delivery function that succeeded (empty digests are not delivered).',
  },
  recordsDelivered: {
    name: 'digests.records.delivered',
    kind: 'counter',
    unit: '{record}',
    description: 'Records in those digests.',
  },
  recordsTruncated: {
    name: 'digests.records.truncated',
    kind: 'counter',
    unit: '{record}',
    description:
      'Records dropped to keep a timeline within `capacity`, where the backend reports them (none does yet).',
  },
  recordsQuarantined: {
    name: 'digests.records.quarantined',
    kind: 'counter',
    unit: '{record}',
    description:
      'Stored values the codec could not decode, set aside by a digest; counted by StoreBackend on the global meter provider.',
  },
  leasesLost: {
    name: 'digests.leases.lost',
    kind: 'counter',
    unit: '{digest}',
    description:
      'Digests whose lease expired and was taken while delivering: their records will be delivered again.',
  },
  deliveryFailures: {
    name: 'digests.delivery.failures',
    kind: 'counter',
    unit: '{digest}',
    description: 'Digests whose delivery function or store step failed; their records stay.',
  },
  digestRecords: {
    name: 'digests.digest.records',
    kind: 'histogram',
    unit: '{record}',
    description: 'Records per delivered digest.',
  },
  deliveryDelay: {
    name: 'digests.delivery.delay',
    kind: 'histogram',
    unit: 's',
    description: "From the oldest record's timestamp to the end of its successful delivery.",
  },
  scheduleLag: {
    name: 'digests.schedule.lag',
    kind: 'histogram',
    unit: 's',
    description:
      'From the time a scheduled key became due (its score) to the start of its digest in this worker. First events digested by `worker.add` are not scheduled and not recorded.',
  },
  keys: {
    name: 'digests.keys',
    kind: 'gauge',
    unit: '{key}',
    description:
      'Keys by state, read at each collection from a backend that can count itself (`stats()`); not registered for one that cannot.',
    attributes: [KEY_STATE_ATTRIBUTE],
  },
} as const satisfies Record<string, InstrumentSpec>;
