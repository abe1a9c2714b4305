import type { DbOrTrx, RecoveryCodesTable } from './database.ts';

/** A one-time second-factor recovery code, stored only as a hash. */
export interface RecoveryCode {
  readonly id: string;
  readonly userId: string;
  readonly codeHash: string;
  readonly createdAt: string;
  readonly usedAt: string | null;
}

export function recoveryCodeToRow(code: RecoveryCode): RecoveryCodesTable {
  return {
    id: code.id,
    user_id: code.userId,
    code_hash: code.codeHash,
    created_at: code.createdAt,
    used_at: code.usedAt,
  };
}

export function recoveryCodeFromRow(row: RecoveryCodesTable): RecoveryCode {
  return {
    id: row.id,
    userId: row.user_id,
    codeHash: row.code_hash,
    createdAt: row.created_at,
    usedAt: row.used_at,
  };
}

/** Replaces every code of the account with a new set. */
export async function replaceRecoveryCodes(
  db: DbOrTrx,
  userId: string,
  codes: readonly RecoveryCode[],
): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (codes.length > 0) {
    await db.insertInto('recovery_codes').values(codes.map(recoveryCodeToRow)).execute();
  }
}

export async function deleteRecoveryCodesOfUser(db: DbOrTrx, userId: string): Promise<number> {
  const r = await db.deleteFrom('recovery_codes').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Spends the unused code with this hash; true only for the one call that spent it, so a code
 * raced from two browsers works once.
 */
export async function spendRecoveryCode(
  db: DbOrTrx,
  userId: string,
  codeHash: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: DbOrTrx, userId: string): Promise<number> {
  const r = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return r.n;
}
