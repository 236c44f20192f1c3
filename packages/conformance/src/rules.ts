/**
 * The rule ids of the digests contract. Each is a heading (and anchor) in
 * `docs/contract.md`; every conformance case title starts with the id of the
 * rule it checks, e.g. `digest.6: a record added while fn runs is kept`.
 *
 * @example
 * ```ts
 * const rule: RuleId = 'digest.6';
 * ```
 */
export const RULE_IDS = [
  'keys.1',
  'keys.2',
  'record.1',
  'input.1',
  'input.2',
  'input.3',
  'options.1',
  'options.2',
  'add.1',
  'add.2',
  'add.3',
  'add.4',
  'add.5',
  'add.6',
  'add.7',
  'add.8',
  'add.9',
  'add.10',
  'digest.1',
  'digest.2',
  'digest.3',
  'digest.4',
  'digest.5',
  'digest.6',
  'digest.7',
  'digest.8',
  'digest.9',
  'lease.1',
  'lease.2',
  'lease.3',
  'schedule.1',
  'schedule.2',
  'schedule.3',
  'maintenance.1',
  'maintenance.2',
  'remove.1',
  'remove.2',
  'remove.3',
  'list.1',
  'list.2',
  'peek.1',
  'peek.2',
  'flush.1',
  'delete.1',
  'inspect.1',
  'close.1',
] as const;

/**
 * One rule of the contract, by id.
 *
 * @example
 * ```ts
 * const rule: RuleId = 'add.6'; // dueAt
 * ```
 */
export type RuleId = (typeof RULE_IDS)[number];

/**
 * A conformance case's full title: its rule id, a colon, and what it checks.
 * `skip` lists take these.
 *
 * @example
 * ```ts
 * const name: CaseName = 'lease.1: the lease is renewed while fn runs';
 * ```
 */
export type CaseName = `${RuleId}: ${string}`;

/**
 * The link of a rule in `docs/contract.md`, for messages.
 *
 * @example
 * ```ts
 * ruleLink('digest.6'); // 'docs/contract.md#digest6'
 * ```
 */
export function ruleLink(rule: RuleId): string {
  return `docs/contract.md#${rule.replace('.', '')}`;
}
