import type { DbOrTrx } from './database.ts';

export async function getSetting(db: DbOrTrx, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function putSetting(db: DbOrTrx, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** Inserts only when absent and returns what is stored, so concurrent first starts agree. */
export async function getOrCreateSetting(db: DbOrTrx, key: string, make: () => string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key, value: make() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const value = await getSetting(db, key);
  if (value === undefined) {
    throw new Error(`setting ${key} vanished`);
  }
  return value;
}
