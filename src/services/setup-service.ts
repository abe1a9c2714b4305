import type { Db } from '../storage/database.ts';
import {
  deleteSetupTokens,
  findSetupTokenExpiry,
  insertSetupToken,
} from '../storage/setup-tokens.repository.ts';
import { countUsers } from '../storage/users.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, actorOf, appendAudit } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { randomToken, sha256Hex } from './secrets.ts';
import { insertNewUser, validateNewUserWithPassword } from './user-service.ts';

export interface SetupDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly setupLinkMinutes: number;
}

/**
 * On an empty database, makes a one-time secret for the first-administrator page. Returns
 * null when an account exists. Only the hash is stored; the link is printed once.
 */
export async function issueSetupToken(deps: SetupDeps): Promise<string | null> {
  if ((await countUsers(deps.db)) > 0) {
    return null;
  }
  const token = randomToken();
  const expires = new Date(deps.clock.now().getTime() + deps.setupLinkMinutes * 60_000).toISOString();
  await insertSetupToken(deps.db, { tokenHash: sha256Hex(token), expiresAt: expires });
  return token;
}

export async function isSetupTokenValid(deps: SetupDeps, token: string): Promise<boolean> {
  const expiresAt = await findSetupTokenExpiry(deps.db, sha256Hex(token));
  return (
    expiresAt !== undefined && expiresAt > deps.clock.now().toISOString() && (await countUsers(deps.db)) === 0
  );
}

/** Creates the first administrator; the link then stops working, as do any others issued. */
export async function completeSetup(
  deps: SetupDeps,
  token: string,
  raw: Record<string, unknown>,
): Promise<void> {
  if (!(await isSetupTokenValid(deps, token))) {
    throw new AppError(
      'NOT_FOUND',
      'This set-up link has expired or has been used. Restart the service to get a new one.',
    );
  }
  if (raw.password !== raw.confirmPassword) {
    throw validationError([{ field: 'confirmPassword', message: 'The passwords do not match' }]);
  }
  const checked = await validateNewUserWithPassword({ ...raw, role: 'administrator' });
  if (!checked.ok) {
    throw validationError(checked.errors);
  }
  await deps.db.transaction().execute(async (trx) => {
    // Checked again inside the write transaction, so two set-up pages cannot both succeed.
    if ((await countUsers(trx)) > 0) {
      throw new AppError('NOT_FOUND', 'An administrator already exists. Sign in instead.');
    }
    const user = await insertNewUser(trx, deps.clock, checked.value, { mustChangePassword: false });
    await deleteSetupTokens(trx);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actorOf(user, null), {
        action: 'setup.first-admin',
        outcome: 'success',
        entityType: 'user',
        entityId: user.id,
      }),
    );
  });
}
