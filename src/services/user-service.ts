import { formatDateTime } from '../domain/uk-date-time.ts';
import { randomUUID } from 'node:crypto';
import { zodIssuesToFieldErrors, type Validated } from '../domain/field-error.ts';
import { userEditSchema, validateNewUser, type NewUserInput } from '../domain/user.ts';
import type { TokenEndReason } from '../storage/account-tables.ts';
import { endTokensOfUser } from '../storage/api-tokens.repository.ts';
import type { Db, Trx } from '../storage/database.ts';
import { deleteSessionsOfUser } from '../storage/sessions.repository.ts';
import {
  findUserById,
  findUserByUsername,
  insertUser,
  listUsers,
  updateUser,
  type User,
  type UserChanges,
} from '../storage/users.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { COMMON_PASSWORD_MESSAGE, isCommonPassword, newPasswordProblem } from './password-check.ts';
import { hashPassword } from './secrets.ts';

export interface UserServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
}

/** Changing an account: a clash message gives the time in the service's time zone. */
export interface UserChangeDeps extends UserServiceDeps {
  readonly timeZone: string;
}

/** Creates an account inside the caller's transaction (shared by the admin page, CLI and setup). */
export async function insertNewUser(
  trx: Trx,
  clock: Clock,
  input: NewUserInput,
  options: { mustChangePassword: boolean },
): Promise<User> {
  if (await findUserByUsername(trx, input.username)) {
    throw usernameTaken(input.username);
  }
  const at = clock.now().toISOString();
  const user: User = {
    id: randomUUID(),
    username: input.username,
    displayName: input.displayName,
    role: input.role,
    passwordHash: await hashPassword(input.password),
    totpSecret: null,
    totpLastStep: null,
    mustChangePassword: options.mustChangePassword,
    disabledAt: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    firstSignedInAt: null,
  };
  try {
    await insertUser(trx, user);
  } catch (err) {
    // Another administrator (or the set-up page) created it between our check and our insert:
    // PostgreSQL runs READ COMMITTED, so only the unique index sees it.
    if (isUniqueViolation(err, 'users_username_key')) {
      throw usernameTaken(input.username);
    }
    throw err;
  }
  return user;
}

function usernameTaken(username: string): AppError {
  return new AppError('DUPLICATE_USERNAME', `The username ${username} is already taken`, {
    fieldErrors: [{ field: 'username', message: 'This username is already taken' }],
  });
}

/**
 * validateNewUser, and the password not a commonly used one (checked here, not in the domain:
 * the list is loaded from a package on first use). Shared by the admin page, the CLI and setup.
 */
export async function validateNewUserWithPassword(raw: unknown): Promise<Validated<NewUserInput>> {
  const checked = validateNewUser(raw);
  if (checked.ok && (await isCommonPassword(checked.value.password))) {
    return { ok: false, errors: [{ field: 'password', message: COMMON_PASSWORD_MESSAGE }] };
  }
  return checked;
}

export async function addUser(deps: UserServiceDeps, actor: Actor | null, raw: unknown): Promise<User> {
  const checked = await validateNewUserWithPassword(raw);
  if (!checked.ok) {
    throw validationError(checked.errors);
  }
  return deps.db.transaction().execute(async (trx) => {
    // Accounts made by an administrator start with a temporary password to be changed.
    const user = await insertNewUser(trx, deps.clock, checked.value, { mustChangePassword: actor !== null });
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'user.create',
        outcome: 'success',
        entityType: 'user',
        entityId: user.id,
        details: { username: user.username, role: user.role, via: actor ? 'web' : 'cli' },
      }),
    );
    return user;
  });
}

/** Every staff account, by username. */
export async function listAccounts(deps: Pick<UserServiceDeps, 'db'>): Promise<User[]> {
  return listUsers(deps.db);
}

/** One account by id; NOT_FOUND when there is none. */
export async function getAccount(deps: Pick<UserServiceDeps, 'db'>, id: string): Promise<User> {
  const user = await findUserById(deps.db, id);
  if (!user) {
    throw new AppError('NOT_FOUND', 'Account not found');
  }
  return user;
}

/** The account with this username (any case), or null. */
export async function findAccountByUsername(
  deps: Pick<UserServiceDeps, 'db'>,
  username: string,
): Promise<User | null> {
  return (await findUserByUsername(deps.db, username)) ?? null;
}

/** What a change does to an account, decided from the account as it stands in the transaction. */
interface AccountChange {
  readonly changes: UserChanges;
  readonly action: 'user.update' | 'user.disable' | 'user.enable' | 'user.password-reset';
  readonly details: Record<string, unknown>;
  /** End every session of the account, so the change applies at once. */
  readonly endSessions: boolean;
  /** End every API token of the account too, saying why (OWASP ASVS 4.0.3 V3.3.3). */
  readonly endTokens?: TokenEndReason;
}

async function changeUser(
  deps: UserChangeDeps,
  actor: Actor,
  id: string,
  expectedVersion: number,
  decide: (current: User) => AccountChange,
): Promise<User> {
  return deps.db.transaction().execute(async (trx) => {
    const current = await findUserById(trx, id);
    if (!current) {
      throw new AppError('NOT_FOUND', 'Account not found');
    }
    const { changes, action, details, endSessions, endTokens } = decide(current);
    const ok = await updateUser(trx, id, expectedVersion, changes, deps.clock.now().toISOString());
    if (!ok) {
      throw new AppError(
        'STALE_EDIT',
        `This account was changed on ${formatDateTime(current.updatedAt, deps.timeZone)} after you opened it. Nothing was saved: review it and try again.`,
      );
    }
    const ended = endSessions ? await deleteSessionsOfUser(trx, id) : 0;
    const tokensEnded = endTokens
      ? await endTokensOfUser(trx, id, deps.clock.now().toISOString(), endTokens)
      : 0;
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action,
        outcome: 'success',
        entityType: 'user',
        entityId: id,
        details: { ...details, sessionsEnded: ended, tokensEnded },
      }),
    );
    const updated = await findUserById(trx, id);
    if (!updated) {
      throw new Error('user vanished after update');
    }
    return updated;
  });
}

export async function editUser(
  deps: UserChangeDeps,
  actor: Actor,
  id: string,
  version: number,
  raw: unknown,
): Promise<User> {
  const parsed = userEditSchema.safeParse(raw);
  if (!parsed.success) {
    throw validationError(zodIssuesToFieldErrors(parsed.error.issues));
  }
  if (id === actor.userId && parsed.data.role !== 'administrator') {
    throw validationError([{ field: 'role', message: 'You cannot remove your own administrator role' }]);
  }
  const { displayName, role } = parsed.data;
  return changeUser(deps, actor, id, version, (current) => {
    // A role change ends the account's sessions so the new permissions apply at once.
    const roleChanged = current.role !== role;
    return {
      changes: { displayName, role },
      action: 'user.update',
      details: { role, roleChanged },
      endSessions: roleChanged,
    };
  });
}

export async function setUserDisabled(
  deps: UserChangeDeps,
  actor: Actor,
  id: string,
  version: number,
  disabled: boolean,
): Promise<User> {
  if (disabled && id === actor.userId) {
    throw validationError([{ field: 'disabled', message: 'You cannot disable your own account' }]);
  }
  const change: AccountChange = {
    changes: { disabledAt: disabled ? deps.clock.now().toISOString() : null },
    action: disabled ? 'user.disable' : 'user.enable',
    details: {},
    endSessions: disabled,
    ...(disabled ? { endTokens: 'account-disabled' as const } : {}),
  };
  return changeUser(deps, actor, id, version, () => change);
}

/** Sets a temporary password that must be changed at next sign-in, and ends every session. */
export async function resetPassword(
  deps: UserChangeDeps,
  actor: Actor,
  id: string,
  version: number,
  temporary: string,
): Promise<User> {
  const target = await findUserById(deps.db, id);
  if (!target) {
    throw new AppError('NOT_FOUND', 'Account not found');
  }
  const problem = await newPasswordProblem(temporary, target.username);
  if (problem) {
    throw validationError([{ field: 'password', message: problem }]);
  }
  // Hashed before the transaction: Argon2 is slow on purpose, and no lock should wait on it.
  const change: AccountChange = {
    changes: { passwordHash: await hashPassword(temporary), mustChangePassword: true },
    action: 'user.password-reset',
    details: {},
    endSessions: true,
    endTokens: 'password-reset',
  };
  return changeUser(deps, actor, id, version, () => change);
}
