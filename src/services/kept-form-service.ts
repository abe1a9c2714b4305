import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config.ts';
import type { KeptFields } from '../domain/kept-form.ts';
import { sessionState, type SessionPolicy } from '../domain/session-policy.ts';
import type { Db } from '../storage/database.ts';
import {
  deleteExpiredKeptForms,
  deleteKeptForm,
  insertKeptForm,
  keptFormsOfBrowser,
} from '../storage/kept-forms.repository.ts';
import { findSessionWithUser } from '../storage/sessions.repository.ts';
import type { User } from '../storage/users.repository.ts';
import { actorEvent, actorOf, appendAudit } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { deriveKey, randomToken, seal, sha256Hex, unseal } from './secrets.ts';
import { cookieSecret } from './system-service.ts';

interface KeptFormDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly session: SessionPolicy;
  readonly config: Pick<AppConfig, 'keptFormMinutes'>;
}

/** Keys for kept forms are kept apart from every other use of the service's secret. */
const PURPOSE = 'itb kept form v1';

/** A browser's kept-form cookie: what randomToken makes, and nothing else is looked up. */
function usableBrowserToken(token: string | undefined): token is string {
  return token !== undefined && /^[A-Za-z0-9_-]{43}$/.test(token);
}

/**
 * The key one browser's kept forms are sealed with: HKDF of the service's stored secret, salted
 * with the browser's cookie. The database holds only the cookie's hash, so a copy of the
 * database alone cannot open a kept form.
 */
async function keyFor(deps: KeptFormDeps, browserToken: string): Promise<Buffer> {
  return deriveKey(await cookieSecret(deps), browserToken, PURPOSE);
}

function sealContext(id: string, userId: string, actionPath: string, pagePath: string): string {
  return [id, userId, actionPath, pagePath].join('\n');
}

export interface KeepFormInput {
  /** The cookie of the session that ended: whose form this is. */
  readonly sessionToken: string;
  /** The browser's kept-form cookie, when it has one. */
  readonly browserToken: string | undefined;
  readonly actionPath: string;
  readonly pagePath: string;
  readonly fields: KeptFields;
  readonly requestId: string | null;
}

/**
 * Keeps a form posted after its session ended, for the session's own user only. Returns the
 * browser's kept-form cookie to set, or null when nothing was kept: the session is unknown (never
 * existed, signed out, or ended so long ago it was removed), still active, only half signed in,
 * or its account is disabled.
 */
export async function keepForm(deps: KeptFormDeps, input: KeepFormInput): Promise<string | null> {
  const found = await findSessionWithUser(deps.db, sha256Hex(input.sessionToken));
  if (!found || found.user.disabledAt !== null || found.session.stage !== 'full') {
    return null;
  }
  const now = deps.clock.now();
  const state = sessionState(
    { createdAtMs: Date.parse(found.session.createdAt), lastSeenAtMs: Date.parse(found.session.lastSeenAt) },
    now.getTime(),
    deps.session,
  );
  if (state === 'active') {
    return null;
  }
  const user = found.user;
  const browserToken = usableBrowserToken(input.browserToken) ? input.browserToken : randomToken();
  const id = randomUUID();
  const box = seal(
    await keyFor(deps, browserToken),
    JSON.stringify(input.fields),
    sealContext(id, user.id, input.actionPath, input.pagePath),
  );
  await deps.db.transaction().execute(async (trx) => {
    await insertKeptForm(trx, {
      id,
      browserHash: sha256Hex(browserToken),
      userId: user.id,
      actionPath: input.actionPath,
      pagePath: input.pagePath,
      iv: box.iv,
      sealed: box.sealed,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + deps.config.keptFormMinutes * 60_000).toISOString(),
    });
    // What was typed is never audited, only that a form was kept and where it was going.
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actorOf(user, input.requestId), {
        action: 'auth.form-kept',
        outcome: 'success',
        details: { actionPath: input.actionPath, sessionEnded: state },
      }),
    );
  });
  return browserToken;
}

export interface KeptFormFound {
  readonly id: string;
  readonly actionPath: string;
  readonly fields: KeptFields;
  readonly keptAt: string;
}

/**
 * The form this browser kept for this user and page, if any (expired kept forms are deleted
 * first, everyone's), and whether the browser still has any kept form at all (its cookie can go
 * when not). A form kept for another account is never returned.
 */
export async function findKeptForm(
  deps: KeptFormDeps,
  input: { readonly browserToken: string; readonly userId: string; readonly pagePath: string },
): Promise<{ readonly form: KeptFormFound | null; readonly browserHasAny: boolean }> {
  if (!usableBrowserToken(input.browserToken)) {
    return { form: null, browserHasAny: false };
  }
  const now = deps.clock.now().toISOString();
  await deleteExpiredKeptForms(deps.db, now);
  const forms = await keptFormsOfBrowser(deps.db, sha256Hex(input.browserToken), now);
  const match = forms.find((f) => f.userId === input.userId && f.pagePath === input.pagePath);
  if (!match) {
    return { form: null, browserHasAny: forms.length > 0 };
  }
  const text = unseal(
    await keyFor(deps, input.browserToken),
    match,
    sealContext(match.id, match.userId, match.actionPath, match.pagePath),
  );
  const fields: unknown = text === null ? null : JSON.parse(text);
  if (typeof fields !== 'object' || fields === null) {
    // Altered or sealed under another secret: it can never be opened, so it goes.
    await deleteKeptForm(deps.db, match.id);
    return { form: null, browserHasAny: forms.length > 1 };
  }
  return {
    form: {
      id: match.id,
      actionPath: match.actionPath,
      fields: fields as KeptFields,
      keptAt: match.createdAt,
    },
    browserHasAny: true,
  };
}

/** A kept form has been put back on its page: it is deleted, so it is shown once. */
export async function discardKeptForm(
  deps: KeptFormDeps,
  user: User,
  form: KeptFormFound,
  requestId: string | null,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (await deleteKeptForm(trx, form.id)) {
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actorOf(user, requestId), {
          action: 'auth.form-restored',
          outcome: 'success',
          details: { actionPath: form.actionPath },
        }),
      );
    }
  });
}

/** Deletes every expired kept form (the sign-in state job calls this). */
export async function pruneKeptForms(deps: Pick<KeptFormDeps, 'db' | 'clock'>): Promise<number> {
  return deleteExpiredKeptForms(deps.db, deps.clock.now().toISOString());
}
