import { type PrefixedTables, prefixedTables } from '@digests/core';
import {
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type TableNode,
  TableNode as TableNodes,
  type UnknownRow,
} from 'kysely';
import { assertIdentifier, assertTablePrefix } from './identifiers.js';
import type { DigestsDatabase } from './schema.js';

/**
 * The physical names of one backend's tables, migration tables and indexes,
 * built from a validated schema and prefix.
 *
 * @example
 * ```ts
 * const names = tableNames({ schema: 'public', tablePrefix: 'digests_' });
 * names.timelines; // 'digests_timelines'
 * ```
 */
export interface TableNames extends PrefixedTables {
  readonly schema: string | undefined;
  readonly options: string;
  /** Prefixes a name that is not a table (an index, a function). */
  prefixed(name: string): string;
}

/**
 * Validates `schema` and `tablePrefix` (throws `ConfigurationError`) and
 * derives every name from them.
 *
 * @example
 * ```ts
 * tableNames({ tablePrefix: 'app_digests_' }).records; // 'app_digests_records'
 * ```
 */
export function tableNames(options: { schema?: string; tablePrefix: string }): TableNames {
  if (options.schema !== undefined) assertIdentifier(options.schema, 'schema');
  assertTablePrefix(options.tablePrefix);
  const prefix = options.tablePrefix;
  return Object.freeze({
    ...prefixedTables(prefix),
    schema: options.schema,
    options: `${prefix}options`,
    prefixed: (name: string) => `${prefix}${name}`,
  });
}

const LOGICAL: ReadonlySet<string> = new Set<keyof DigestsDatabase>([
  'timelines',
  'records',
  'quarantine',
  'options',
]);

class TableNamesTransformer extends OperationNodeTransformer {
  readonly #names: TableNames;

  constructor(names: TableNames) {
    super();
    this.#names = names;
  }

  protected override transformTable(node: TableNode): TableNode {
    const name = node.table.identifier.name;
    if (node.table.schema !== undefined || !LOGICAL.has(name)) return super.transformTable(node);
    const physical = this.#names[name as keyof DigestsDatabase];
    return this.#names.schema === undefined
      ? TableNodes.create(physical)
      : TableNodes.createWithSchema(this.#names.schema, physical);
  }
}

/**
 * Rewrites the logical tables `timelines`, `records`, `quarantine` and `options` to this backend's
 * physical, schema-qualified names, so queries are written once with typed
 * names and run under any prefix.
 *
 * @example
 * ```ts
 * const db = kysely.withPlugin(new TableNamesPlugin(tableNames({ tablePrefix: 'x_' })));
 * await db.selectFrom('timelines').selectAll().execute(); // select * from "x_timelines"
 * ```
 */
export class TableNamesPlugin implements KyselyPlugin {
  readonly #transformer: TableNamesTransformer;

  constructor(names: TableNames) {
    this.#transformer = new TableNamesTransformer(names);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
