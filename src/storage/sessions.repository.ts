import type { DbOrTrx, SessionsTable } from './database.ts';

export type SessionStage = 'full' | 'mfa-pending' | 'mfa-enrol';

export async function insertSession(db: DbOrTrx, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSession(db: DbOrTrx, idHash: string): Promise<SessionsTable | undefined> {
  return db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}

export async function touchSession(db: DbOrTrx, idHash: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: DbOrTrx, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteSessionsOfUser(db: DbOrTrx, userId: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteSessionsStartedBefore(
  db: DbOrTrx,
  createdBefore: string,
  idleBefore: string,
): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('created_at', '<', createdBefore), eb('last_seen_at', '<', idleBefore)]))
    .execute();
}
