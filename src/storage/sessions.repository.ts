import type { DbOrTrx, SessionsTable } from './database.ts';
import { compiledOnce } from './compiled-once.ts';
import { rowToUser, type User } from './users.repository.ts';

export type SessionStage = 'full' | 'mfa-pending' | 'mfa-enrol';

export async function insertSession(db: DbOrTrx, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The session and its account by the token's hash; compiled once, as it runs on every signed-in
 * request. */
const sessionWithUser = compiledOnce((db, idHash) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select([
      'sessions.id_hash as s_id_hash',
      'sessions.stage as s_stage',
      'sessions.created_at as s_created_at',
      'sessions.last_seen_at as s_last_seen_at',
      'sessions.ip as s_ip',
    ])
    .where('sessions.id_hash', '=', idHash),
);

/** A session with its account, in one query: it runs on every signed-in request. */
export async function findSessionWithUser(
  db: DbOrTrx,
  idHash: string,
): Promise<{ session: SessionsTable; user: User } | undefined> {
  const [row] = await sessionWithUser(db, idHash);
  if (!row) {
    return undefined;
  }
  const { s_id_hash, s_stage, s_created_at, s_last_seen_at, s_ip, ...user } = row;
  return {
    session: {
      id_hash: s_id_hash,
      user_id: user.id,
      stage: s_stage,
      created_at: s_created_at,
      last_seen_at: s_last_seen_at,
      ip: s_ip,
    },
    user: rowToUser(user),
  };
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
