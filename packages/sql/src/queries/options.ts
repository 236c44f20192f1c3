import type { Kysely } from 'kysely';
import type { DigestsDatabase } from '../schema.js';
import type { StoredKey } from '../stored-values.js';

/**
 * The stored value of an option name, or `undefined`; one statement.
 *
 * @example
 * ```ts
 * const bytes = await readOption(db, storedKey('digests.enabled:mail:p:1').id);
 * ```
 */
export async function readOption(
  db: Kysely<DigestsDatabase>,
  nameId: Uint8Array,
): Promise<Uint8Array | undefined> {
  const row = await db
    .selectFrom('options')
    .select('value')
    .where('name_id', '=', nameId)
    .executeTakeFirst();
  return row?.value;
}

/**
 * Stores (inserts or replaces) an option's value; one upsert statement.
 *
 * @example
 * ```ts
 * await writeOption(db, storedKey('digests.enabled'), Buffer.from('false'));
 * ```
 */
export async function writeOption(
  db: Kysely<DigestsDatabase>,
  name: StoredKey,
  value: Uint8Array,
): Promise<void> {
  await db
    .insertInto('options')
    .values({ name_id: name.id, name: name.bytes, value })
    .onConflict((oc) =>
      oc.column('name_id').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
    )
    .execute();
}

/**
 * Removes an option's value (a no-op when there is none); one statement.
 *
 * @example
 * ```ts
 * await removeOption(db, storedKey('digests.enabled').id);
 * ```
 */
export async function removeOption(db: Kysely<DigestsDatabase>, nameId: Uint8Array): Promise<void> {
  await db.deleteFrom('options').where('name_id', '=', nameId).execute();
}
