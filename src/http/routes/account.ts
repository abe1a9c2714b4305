import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AppDeps } from '../../compose.ts';
import { AppError } from '../../services/app-error.ts';
import { changePassword, type CurrentSession } from '../../services/auth-service.ts';
import { createApiToken, revokeApiToken, tokenEndedBecause } from '../../services/token-service.ts';
import { changeTotp, pendingTotpSecret, totpUri } from '../../services/totp-service.ts';
import type { ApiTokensTable } from '../../storage/database.ts';
import { listTokensOfUser } from '../../storage/api-tokens.repository.ts';
import type { User } from '../../storage/users.repository.ts';
import { actorFor, requireAuth } from '../access.ts';
import { authDeps } from '../plugins/auth.ts';
import { sessionCookieName, setSessionCookie } from '../plugins/security.ts';
import { errorContext } from '../plugins/views.ts';
import { formFields } from './form.ts';

export function accountRoutes(deps: AppDeps): FastifyPluginAsync {
  const cookieName = sessionCookieName(deps.config);
  const tokenDeps = {
    db: deps.database.db,
    clock: deps.clock,
    tokenLifetimeDays: deps.config.apiTokenLifetimeDays,
  };

  /** A token's state for the table: working (with its expiry), revoked, ended with a reason, or expired. */
  const tokenStatus = (t: ApiTokensTable, nowMs: number): string | null => {
    if (t.revoked_at !== null) {
      const because = t.end_reason === 'revoked' ? null : tokenEndedBecause(t.end_reason);
      return because ? `Ended because ${because}` : 'Revoked';
    }
    return t.expires_at === null || Date.parse(t.expires_at) <= nowMs ? 'Expired' : null;
  };

  /** Wrong guesses here count like sign-in guesses: show the wait on the form, with Retry-After. */
  const throttledField = (err: AppError, field: string, reply: FastifyReply) => {
    reply.header('retry-after', String(err.details.retryAfterSeconds));
    return [{ field, message: err.message }];
  };

  return async (app) => {
    const self = { permission: 'account:self' } as const;

    const accountPage = async (userId: string, extra: Record<string, unknown> = {}) => ({
      title: 'Your account',
      tokens: (await listTokensOfUser(deps.database.db, userId)).map((t) => ({
        id: t.id,
        name: t.name,
        createdAt: t.created_at,
        lastUsedAt: t.last_used_at,
        expiresAt: t.expires_at,
        ended: tokenStatus(t, deps.clock.now().getTime()),
      })),
      tokenLifetimeDays: deps.config.apiTokenLifetimeDays,
      ...extra,
    });

    app.get('/account', { config: { access: self } }, async (request, reply) => {
      const user = requireAuth(request).user;
      return reply.page(
        'pages/account.njk',
        await accountPage(user.id, { hasTotp: user.totpSecret !== null }),
      );
    });

    const pwAccess = { permission: 'account:self', duringPasswordChange: true } as const;
    app.get('/account/password', { config: { access: pwAccess } }, async (request, reply) => {
      return reply.page('pages/change-password.njk', {
        title: 'Change your password',
        mustChange: request.auth?.user.mustChangePassword,
      });
    });

    app.post('/account/password', { config: { access: pwAccess } }, async (request, reply) => {
      const f = formFields(request.body);
      const user = requireAuth(request).user;
      try {
        await changePassword(
          authDeps(deps),
          user,
          {
            currentPassword: f.currentPassword ?? '',
            newPassword: f.newPassword ?? '',
            confirmPassword: f.confirmPassword ?? '',
          },
          request.ip,
          request.id,
        );
      } catch (err) {
        if (
          err instanceof AppError &&
          (err.code === 'VALIDATION_FAILED' || err.code === 'SIGN_IN_THROTTLED')
        ) {
          return reply.status(err.status).page('pages/change-password.njk', {
            title: 'Change your password',
            mustChange: user.mustChangePassword,
            ...errorContext(
              err.code === 'SIGN_IN_THROTTLED'
                ? throttledField(err, 'currentPassword', reply)
                : err.fieldErrors,
            ),
          });
        }
        throw err;
      }
      void reply.clearCookie(cookieName, { path: '/' });
      return reply.redirect('/sign-in?passwordChanged=1', 303);
    });

    const enrolAccess = {
      permission: 'account:self',
      stages: ['full', 'mfa-enrol'],
      duringPasswordChange: true,
    } as const;
    const twoFactorPage = async (
      auth: { session: CurrentSession; user: User },
      extra: Record<string, unknown> = {},
    ) => {
      // The secret is the server's, kept with the session: the form never carries it back.
      const secret = await pendingTotpSecret(authDeps(deps), auth.session);
      return {
        title: 'Set up a second factor',
        required: auth.session.stage === 'mfa-enrol',
        hasTotp: auth.user.totpSecret !== null,
        secret,
        uri: totpUri(secret, auth.user.username),
        ...extra,
      };
    };

    app.get('/account/two-factor', { config: { access: enrolAccess } }, async (request, reply) => {
      const auth = request.auth;
      if (auth?.kind !== 'session') {
        throw new AppError('UNAUTHENTICATED', 'Sign in first');
      }
      return reply.page('pages/two-factor.njk', await twoFactorPage(auth));
    });

    app.post('/account/two-factor', { config: { access: enrolAccess } }, async (request, reply) => {
      const f = formFields(request.body);
      const auth = request.auth;
      if (auth?.kind !== 'session') {
        throw new AppError('UNAUTHENTICATED', 'Sign in first');
      }
      try {
        // Any `secret` field in the form is ignored: the secret is the one kept for the session.
        const token = await changeTotp(
          authDeps(deps),
          auth.session,
          { currentPassword: f.currentPassword ?? '', currentCode: f.currentCode ?? '', code: f.code ?? '' },
          request.ip,
          request.id,
        );
        setSessionCookie(reply, deps.config, token);
      } catch (err) {
        if (
          err instanceof AppError &&
          (err.code === 'VALIDATION_FAILED' || err.code === 'SIGN_IN_THROTTLED')
        ) {
          const errors =
            err.code === 'SIGN_IN_THROTTLED'
              ? throttledField(err, 'currentPassword', reply)
              : err.fieldErrors;
          return reply
            .status(err.status)
            .page('pages/two-factor.njk', await twoFactorPage(auth, errorContext(errors)));
        }
        throw err;
      }
      return reply.redirect(auth.user.mustChangePassword ? '/account/password' : '/account', 303);
    });

    app.post('/account/tokens', { config: { access: self } }, async (request, reply) => {
      const auth = requireAuth(request);
      const f = formFields(request.body);
      try {
        const created = await createApiToken(tokenDeps, actorFor(auth, request.id), auth.user, f.name);
        return await reply.page(
          'pages/account.njk',
          await accountPage(auth.user.id, {
            hasTotp: auth.user.totpSecret !== null,
            newToken: created.token,
            newTokenExpiresAt: created.expiresAt,
          }),
        );
      } catch (err) {
        if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
          return reply.status(400).page(
            'pages/account.njk',
            await accountPage(auth.user.id, {
              hasTotp: auth.user.totpSecret !== null,
              ...errorContext(err.fieldErrors),
            }),
          );
        }
        throw err;
      }
    });

    app.post<{ Params: { id: string } }>(
      '/account/tokens/:id/revoke',
      { config: { access: self } },
      async (request, reply) => {
        const auth = requireAuth(request);
        await revokeApiToken(tokenDeps, actorFor(auth, request.id), request.params.id);
        return reply.redirect('/account', 303);
      },
    );
  };
}
