import type { Role } from '../domain/roles.ts';
import type { DbOrTrx, UsersTable } from './database.ts';
import { compiledOnce } from './compiled-once.ts';

export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly totpSecret: string | null;
  readonly totpLastStep: number | null;
  readonly mustChangePassword: boolean;
  readonly disabledAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  /** When the account first finished signing in; null while it is only invited. */
  readonly firstSignedInAt: string | null;
}

/** A row of `users` as the account the services work with. */
export function userFromRow(row: UsersTable): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    passwordHash: row.password_hash,
    totpSecret: row.totp_secret,
    totpLastStep: row.totp_last_step,
    mustChangePassword: row.must_change_password === 1,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    firstSignedInAt: row.first_signed_in_at,
  };
}

/** Compiled once: pages name the person who last changed a record with it. */
const userById = compiledOnce((db, id) => db.selectFrom('users').selectAll().where('id', '=', id));

export async function findUserById(db: DbOrTrx, id: string): Promise<User | undefined> {
  const [row] = await userById(db, id);
  return row && userFromRow(row);
}

export async function findUserByUsername(db: DbOrTrx, username: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();
  return row && userFromRow(row);
}

export async function listUsers(db: DbOrTrx): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map(userFromRow);
}

/** Accounts not disabled, by role. */
export async function countActiveUsersByRole(db: DbOrTrx): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('users')
    .select(['role', (eb) => eb.fn.countAll<number>().as('n')])
    .where('disabled_at', 'is', null)
    .groupBy('role')
    .execute();
  const byRole: Record<string, number> = {};
  for (const r of rows) {
    byRole[r.role] = r.n;
  }
  return byRole;
}

export async function countUsers(db: DbOrTrx): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}

/** The account as its row: booleans as 0/1. */
export function userToRow(user: User): UsersTable {
  return {
    id: user.id,
    username: user.username,
    display_name: user.displayName,
    role: user.role,
    password_hash: user.passwordHash,
    totp_secret: user.totpSecret,
    totp_last_step: user.totpLastStep,
    must_change_password: user.mustChangePassword ? 1 : 0,
    disabled_at: user.disabledAt,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    version: user.version,
    first_signed_in_at: user.firstSignedInAt,
  };
}

export async function insertUser(db: DbOrTrx, user: User): Promise<void> {
  await db.insertInto('users').values(userToRow(user)).execute();
}

/** What an account change may set; id, username and bookkeeping are never changed. */
export type UserChanges = Partial<
  Pick<
    User,
    | 'displayName'
    | 'role'
    | 'passwordHash'
    | 'totpSecret'
    | 'totpLastStep'
    | 'mustChangePassword'
    | 'disabledAt'
  >
>;

/** The columns a change sets: only the fields it names. */
function userChangesToRow(changes: UserChanges): Partial<UsersTable> {
  const row: Partial<UsersTable> = {};
  if (changes.displayName !== undefined) {
    row.display_name = changes.displayName;
  }
  if (changes.role !== undefined) {
    row.role = changes.role;
  }
  if (changes.passwordHash !== undefined) {
    row.password_hash = changes.passwordHash;
  }
  if (changes.totpSecret !== undefined) {
    row.totp_secret = changes.totpSecret;
  }
  if (changes.totpLastStep !== undefined) {
    row.totp_last_step = changes.totpLastStep;
  }
  if (changes.mustChangePassword !== undefined) {
    row.must_change_password = changes.mustChangePassword ? 1 : 0;
  }
  if (changes.disabledAt !== undefined) {
    row.disabled_at = changes.disabledAt;
  }
  return row;
}

/** Updates when the version still matches; returns false when someone saved first. */
export async function updateUser(
  db: DbOrTrx,
  id: string,
  expectedVersion: number,
  changes: UserChanges,
  updatedAt: string,
): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ ...userChangesToRow(changes), updated_at: updatedAt, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Display names of several accounts at once, for timelines. */
export async function displayNames(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) {
    return new Map();
  }
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/**
 * Marks the account as having signed in, the first time only: not a change an administrator
 * made, so the version is left alone (an open edit form stays valid).
 */
export async function markFirstSignIn(db: DbOrTrx, id: string, at: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ first_signed_in_at: at })
    .where('id', '=', id)
    .where('first_signed_in_at', 'is', null)
    .execute();
}
