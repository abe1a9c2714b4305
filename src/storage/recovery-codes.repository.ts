import type { DbOrTrx, RecoveryCodeDisplaysTable, RecoveryCodesTable } from './database.ts';

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

export async function unusedRecoveryCodes(db: DbOrTrx, userId: string): Promise<RecoveryCode[]> {
  const rows = await db
    .selectFrom('recovery_codes')
    .selectAll()
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
  return rows.map(recoveryCodeFromRow);
}

/** A new set of codes waiting to be shown once (sealed; the service opens it). */
export interface RecoveryCodeDisplay {
  readonly sessionIdHash: string;
  readonly iv: string;
  readonly sealed: string;
  readonly createdAt: string;
}

export function recoveryCodeDisplayToRow(d: RecoveryCodeDisplay): RecoveryCodeDisplaysTable {
  return { session_id_hash: d.sessionIdHash, iv: d.iv, sealed: d.sealed, created_at: d.createdAt };
}

export function recoveryCodeDisplayFromRow(row: RecoveryCodeDisplaysTable): RecoveryCodeDisplay {
  return { sessionIdHash: row.session_id_hash, iv: row.iv, sealed: row.sealed, createdAt: row.created_at };
}

export async function putRecoveryCodeDisplay(db: DbOrTrx, d: RecoveryCodeDisplay): Promise<void> {
  const row = recoveryCodeDisplayToRow(d);
  await db
    .insertInto('recovery_code_displays')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('session_id_hash')
        .doUpdateSet({ iv: row.iv, sealed: row.sealed, created_at: row.created_at }),
    )
    .execute();
}

/** Takes the session's waiting display: the row is deleted, so the codes are shown once. */
export async function takeRecoveryCodeDisplay(
  db: DbOrTrx,
  sessionIdHash: string,
): Promise<RecoveryCodeDisplay | undefined> {
  const row = await db
    .deleteFrom('recovery_code_displays')
    .where('session_id_hash', '=', sessionIdHash)
    .returningAll()
    .executeTakeFirst();
  return row && recoveryCodeDisplayFromRow(row);
}
