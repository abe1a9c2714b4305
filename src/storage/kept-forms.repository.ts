import type { DbOrTrx, KeptFormsTable } from './database.ts';

/** A sealed form kept after its session ended (kept-form-service.ts seals and opens it). */
export interface KeptForm {
  readonly id: string;
  readonly browserHash: string;
  readonly userId: string;
  readonly actionPath: string;
  readonly pagePath: string;
  readonly iv: string;
  readonly sealed: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export function keptFormToRow(form: KeptForm): KeptFormsTable {
  return {
    id: form.id,
    browser_hash: form.browserHash,
    user_id: form.userId,
    action_path: form.actionPath,
    page_path: form.pagePath,
    iv: form.iv,
    sealed: form.sealed,
    created_at: form.createdAt,
    expires_at: form.expiresAt,
  };
}

export function keptFormFromRow(row: KeptFormsTable): KeptForm {
  return {
    id: row.id,
    browserHash: row.browser_hash,
    userId: row.user_id,
    actionPath: row.action_path,
    pagePath: row.page_path,
    iv: row.iv,
    sealed: row.sealed,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export async function insertKeptForm(db: DbOrTrx, form: KeptForm): Promise<void> {
  await db.insertInto('kept_forms').values(keptFormToRow(form)).execute();
}

/** The browser's kept forms not yet expired, newest first. */
export async function keptFormsOfBrowser(db: DbOrTrx, browserHash: string, now: string): Promise<KeptForm[]> {
  const rows = await db
    .selectFrom('kept_forms')
    .selectAll()
    .where('browser_hash', '=', browserHash)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(keptFormFromRow);
}

/** Deletes one kept form; true when this call deleted it (so it is shown once). */
export async function deleteKeptForm(db: DbOrTrx, id: string): Promise<boolean> {
  const r = await db.deleteFrom('kept_forms').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function deleteExpiredKeptForms(db: DbOrTrx, now: string): Promise<number> {
  const r = await db.deleteFrom('kept_forms').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
