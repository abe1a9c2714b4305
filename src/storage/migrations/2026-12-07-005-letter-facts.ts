import type { Kysely } from 'kysely';

/**
 * What a redirect letter must not guess:
 * - `triage_decisions.redirect_sent`: 1 when the referral was sent on to the service it was
 *   redirected to, 0 when the referrer was only advised to refer there; null for other outcomes
 *   and for redirects recorded before this was asked (their letters were made then).
 * - `triage_decisions.redirect_method`: how it was sent on (`e-rs`, `email`, `post`); null
 *   unless it was.
 * Written against Kysely<unknown> so it stays frozen in time. Never edit once released: add a
 * new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('triage_decisions').addColumn('redirect_sent', 'integer').execute();
  await db.schema.alterTable('triage_decisions').addColumn('redirect_method', 'text').execute();
}
