import type { Kysely } from 'kysely';

/** The default API token lifetime when this migration was written (API_TOKEN_LIFETIME_DAYS). */
const TOKEN_LIFETIME_DAYS_AT_MIGRATION = 90;
/** Tokens already old at the upgrade still work this long, so integrations have time to renew. */
const UPGRADE_GRACE_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * Credential safety:
 * - `sign_in_throttle_keys`: one row per throttle key (an account or a network address), written
 *   at the start of every sign-in attempt's admission transaction. Writing it takes a row lock
 *   on PostgreSQL (and the write lock on SQLite), so concurrent attempts for one key are
 *   counted one after another, across instances, before any password is checked.
 * - `api_tokens.expires_at`: when a token stops working; `api_tokens.end_reason`: why a token
 *   with `revoked_at` set was ended ('revoked', 'password-changed', 'password-reset',
 *   'account-disabled'), so the API can say why it refuses it. Tokens made before this
 *   migration expire 90 days after they were made, or 14 days after the upgrade if later.
 * - `totp_enrolments`: the authenticator secret the server generated for a set-up in progress,
 *   one per session and gone with it, so the secret is never taken from the form.
 * Written against Kysely<unknown> so it stays frozen in time; SQLite adds one column per
 * statement. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sign_in_throttle_keys')
    .addColumn('throttle_key', 'text', (c) => c.primaryKey())
    .addColumn('last_attempt_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
  await db.schema.alterTable('api_tokens').addColumn('end_reason', 'text').execute();
  const tokens = db as Kysely<{
    api_tokens: {
      id: string;
      created_at: string;
      revoked_at: string | null;
      expires_at: string | null;
      end_reason: string | null;
    };
  }>;
  const existing = await tokens.selectFrom('api_tokens').select(['id', 'created_at', 'revoked_at']).execute();
  const graceUntilMs = Date.now() + UPGRADE_GRACE_DAYS * DAY_MS;
  for (const t of existing) {
    const expiresMs = Math.max(
      Date.parse(t.created_at) + TOKEN_LIFETIME_DAYS_AT_MIGRATION * DAY_MS,
      graceUntilMs,
    );
    await tokens
      .updateTable('api_tokens')
      .set({
        expires_at: new Date(expiresMs).toISOString(),
        end_reason: t.revoked_at === null ? null : 'revoked',
      })
      .where('id', '=', t.id)
      .execute();
  }

  await db.schema
    .createTable('totp_enrolments')
    .addColumn('session_id_hash', 'text', (c) =>
      c.primaryKey().references('sessions.id_hash').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
