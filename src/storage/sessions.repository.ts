import type { DbOrTrx, SessionsTable } from './database.ts';
import { compiledOnce } from './compiled-once.ts';
import { userFromRow, type User } from './users.repository.ts';

export type SessionStage = 'full' | 'mfa-pending' | 'mfa-enrol';

/** A signed-in session, stored under the hash of its cookie value. */
export interface Session {
  readonly idHash: string;
  readonly userId: string;
  readonly stage: SessionStage;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly ip: string;
}

export function sessionToRow(session: Session): SessionsTable {
  return {
    id_hash: session.idHash,
    user_id: session.userId,
    stage: session.stage,
    created_at: session.createdAt,
    last_seen_at: session.lastSeenAt,
    ip: session.ip,
  };
}

export function sessionFromRow(row: SessionsTable): Session {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    // Only the stages above are ever written (sessionToRow).
    stage: row.stage as SessionStage,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    ip: row.ip,
  };
}

export async function insertSession(db: DbOrTrx, session: Session): Promise<void> {
  await db.insertInto('sessions').values(sessionToRow(session)).execute();
}

/**
 * The session and its account by the token's hash; compiled once, as it runs on every signed-in
 * request. The session's columns are scalar subqueries on its primary key rather than a join:
 * on SQLite the join is several times slower for the same one row (docs/performance.md), and
 * PostgreSQL plans
 * both as index lookups. The statement reads one snapshot, so the columns are of one session.
 */
const sessionWithUser = compiledOnce((db, idHash) => {
  const column = <C extends 'user_id' | 'stage' | 'created_at' | 'last_seen_at' | 'ip'>(name: C) =>
    db.selectFrom('sessions').select(name).where('id_hash', '=', idHash);
  return db
    .selectFrom('users')
    .selectAll('users')
    .select([
      column('stage').as('s_stage'),
      column('created_at').as('s_created_at'),
      column('last_seen_at').as('s_last_seen_at'),
      column('ip').as('s_ip'),
    ])
    .where('users.id', '=', column('user_id'));
});

/** A session with its account, in one query: it runs on every signed-in request. */
export async function findSessionWithUser(
  db: DbOrTrx,
  idHash: string,
): Promise<{ session: Session; user: User } | undefined> {
  const [row] = await sessionWithUser(db, idHash);
  if (!row) {
    return undefined;
  }
  const { s_stage, s_created_at, s_last_seen_at, s_ip, ...user } = row;
  if (s_stage === null || s_created_at === null || s_last_seen_at === null || s_ip === null) {
    // Not reachable: the row exists only when the session does, and one statement sees one state.
    return undefined;
  }
  return {
    session: sessionFromRow({
      id_hash: idHash,
      user_id: user.id,
      stage: s_stage,
      created_at: s_created_at,
      last_seen_at: s_last_seen_at,
      ip: s_ip,
    }),
    user: userFromRow(user),
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

/**
 * Moves the full sessions of accounts with one of the roles and no second factor to the
 * 'mfa-enrol' stage, where only setting one up is allowed; returns how many.
 */
export async function sendSessionsToEnrolment(db: DbOrTrx, roles: readonly string[]): Promise<number> {
  if (roles.length === 0) {
    return 0;
  }
  const r = await db
    .updateTable('sessions')
    .set({ stage: 'mfa-enrol' satisfies SessionStage })
    .where('stage', '=', 'full' satisfies SessionStage)
    .where('user_id', 'in', (eb) =>
      eb.selectFrom('users').select('id').where('role', 'in', roles).where('totp_secret', 'is', null),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
