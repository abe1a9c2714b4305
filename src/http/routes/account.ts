import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../compose.ts';
import { AppError } from '../../services/app-error.ts';
import { changePassword, enrolTotp, newTotpSecret, totpUri } from '../../services/auth-service.ts';
import { createApiToken, revokeApiToken } from '../../services/token-service.ts';
import { listTokensOfUser } from '../../storage/api-tokens.repository.ts';
import { actorFor, requireAuth } from '../access.ts';
import { authDeps } from '../plugins/auth.ts';
import { sessionCookieName, setSessionCookie } from '../plugins/security.ts';
import { errorContext } from '../plugins/views.ts';
import { formFields } from './form.ts';

export function accountRoutes(deps: AppDeps): FastifyPluginAsync {
  const cookieName = sessionCookieName(deps.config);
  const tokenDeps = { db: deps.database.db, clock: deps.clock };

  return async (app) => {
    const self = { permission: 'account:self' } as const;

    const accountPage = async (userId: string, extra: Record<string, unknown> = {}) => ({
      title: 'Your account',
      tokens: (await listTokensOfUser(deps.database.db, userId)).map((t) => ({
        id: t.id,
        name: t.name,
        createdAt: t.created_at,
        lastUsedAt: t.last_used_at,
        revokedAt: t.revoked_at,
      })),
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
          request.id,
        );
      } catch (err) {
        if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
          return reply.status(400).page('pages/change-password.njk', {
            title: 'Change your password',
            mustChange: user.mustChangePassword,
            ...errorContext(err.fieldErrors),
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
    app.get('/account/two-factor', { config: { access: enrolAccess } }, async (request, reply) => {
      const user = requireAuth(request).user;
      const secret = newTotpSecret();
      return reply.page('pages/two-factor.njk', {
        title: 'Set up a second factor',
        required: request.auth?.kind === 'session' && request.auth.session.stage === 'mfa-enrol',
        hasTotp: user.totpSecret !== null,
        secret,
        uri: totpUri(secret, user.username),
      });
    });

    app.post('/account/two-factor', { config: { access: enrolAccess } }, async (request, reply) => {
      const f = formFields(request.body);
      const auth = request.auth;
      if (auth?.kind !== 'session') {
        throw new AppError('UNAUTHENTICATED', 'Sign in first');
      }
      try {
        const token = await enrolTotp(
          authDeps(deps),
          auth.session,
          f.secret ?? '',
          f.code ?? '',
          request.ip,
          request.id,
        );
        setSessionCookie(reply, deps.config, token);
      } catch (err) {
        if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
          const secret = f.secret && /^[A-Z2-7]{16,64}$/.test(f.secret) ? f.secret : newTotpSecret();
          return reply.status(400).page('pages/two-factor.njk', {
            title: 'Set up a second factor',
            required: auth.session.stage === 'mfa-enrol',
            hasTotp: auth.user.totpSecret !== null,
            secret,
            uri: totpUri(secret, auth.user.username),
            ...errorContext(err.fieldErrors),
          });
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
