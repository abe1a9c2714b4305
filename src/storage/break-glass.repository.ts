import type { DbOrTrx } from './database.ts';

/** Break-glass grants (emergency-access-tables.ts): inserted once, never changed. */

export interface BreakGlassGrant {
  readonly id: string;
  readonly userId: string;
  readonly patientId: string;
  readonly reason: string;
  readonly grantedAt: string;
  readonly expiresAt: string;
}

/** A grant with who made it and whose summary it opened, for the ITB team's list. */
export interface BreakGlassListed extends BreakGlassGrant {
  readonly userName: string;
  readonly username: string;
  readonly patientName: string;
  readonly nhsNumber: string;
}

export async function insertBreakGlassGrant(db: DbOrTrx, g: BreakGlassGrant): Promise<void> {
  await db
    .insertInto('break_glass_grants')
    .values({
      id: g.id,
      user_id: g.userId,
      patient_id: g.patientId,
      reason: g.reason,
      granted_at: g.grantedAt,
      expires_at: g.expiresAt,
    })
    .execute();
}

/** The user's most recent grant for the patient, live or not (the caller compares with now). */
export async function latestBreakGlassGrant(
  db: DbOrTrx,
  userId: string,
  patientId: string,
): Promise<BreakGlassGrant | null> {
  const r = await db
    .selectFrom('break_glass_grants')
    .selectAll()
    .where('user_id', '=', userId)
    .where('patient_id', '=', patientId)
    .orderBy('expires_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r
    ? {
        id: r.id,
        userId: r.user_id,
        patientId: r.patient_id,
        reason: r.reason,
        grantedAt: r.granted_at,
        expiresAt: r.expires_at,
      }
    : null;
}

/** Grants made at or after `sinceIso`, newest first, with the names the list shows. */
export async function listBreakGlassSince(db: DbOrTrx, sinceIso: string): Promise<BreakGlassListed[]> {
  const rows = await db
    .selectFrom('break_glass_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .innerJoin('patients as p', 'p.id', 'g.patient_id')
    .select([
      'g.id',
      'g.user_id',
      'g.patient_id',
      'g.reason',
      'g.granted_at',
      'g.expires_at',
      'u.display_name',
      'u.username',
      'p.given_name',
      'p.family_name',
      'p.nhs_number',
    ])
    .where('g.granted_at', '>=', sinceIso)
    .orderBy('g.granted_at', 'desc')
    .orderBy('g.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    patientId: r.patient_id,
    reason: r.reason,
    grantedAt: r.granted_at,
    expiresAt: r.expires_at,
    userName: r.display_name,
    username: r.username,
    patientName: `${r.family_name.toUpperCase()}, ${r.given_name}`,
    nhsNumber: r.nhs_number,
  }));
}

/** How many grants were made at or after `sinceIso` (the home page and the digest). */
export async function countBreakGlassSince(db: DbOrTrx, sinceIso: string): Promise<number> {
  const r = await db
    .selectFrom('break_glass_grants')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('granted_at', '>=', sinceIso)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
