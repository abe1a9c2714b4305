import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { AppError } from '../../../services/app-error.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { sessionCookieName } from '../../plugins/security.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields } from '../form.ts';
import { sessionStatusRoute } from './session-status.ts';
import { throttledField } from './throttled-field.ts';

/** Your account: changing your password, and your personal API tokens. */
export function accountRoutes(deps: RouteDeps): FastifyPluginAsync {
  const cookieName = sessionCookieName(deps.config);
  const accounts = deps.services.accounts;

  return async (app) => {
    const self = { permission: 'account:self' } as const;
    sessionStatusRoute(app, deps);

    const accountPage = async (userId: string, extra: Record<string, unknown> = {}) => ({
      title: 'Your account',
      tokens: await accounts.listTokens(userId),
      tokenLifetimeDays: deps.config.apiTokenLifetimeDays,
      recoveryCodesLeft: await accounts.recoveryCodesLeft(userId),
      ...extra,
    });

    app.get('/account', { config: { access: self } }, async (request, reply) => {
      const user = requireAuth(request).user;
      // New recovery codes (after setting up the app or asking for a new set) are shown once.
      const newRecoveryCodes = await accounts.takeCodesToShow(request.cookies[cookieName]);
      return reply.page(
        'pages/account.njk',
        await accountPage(user.id, { hasTotp: user.totpSecret !== null, newRecoveryCodes }),
      );
    });

    app.post('/account/recovery-codes', { config: { access: self } }, async (request, reply) => {
      const auth = requireAuth(request);
      if (auth.kind !== 'session') {
        throw new AppError('UNAUTHENTICATED', 'Sign in first');
      }
      const f = formFields(request.body);
      try {
        await accounts.regenerateRecoveryCodes(
          auth.session,
          request.cookies[cookieName] ?? '',
          { currentPassword: f.currentPassword ?? '', currentCode: f.currentCode ?? '' },
          request.ip,
          request.id,
        );
        return await reply.redirect('/account', 303);
      } catch (err) {
        if (
          err instanceof AppError &&
          (err.code === 'VALIDATION_FAILED' || err.code === 'SIGN_IN_THROTTLED')
        ) {
          return reply.status(err.status).page(
            'pages/account.njk',
            await accountPage(auth.user.id, {
              hasTotp: auth.user.totpSecret !== null,
              ...errorContext(
                err.code === 'SIGN_IN_THROTTLED'
                  ? throttledField(err, 'currentPassword', reply)
                  : err.fieldErrors,
              ),
            }),
          );
        }
        throw err;
      }
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
        await accounts.changePassword(
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

    app.post('/account/tokens', { config: { access: self } }, async (request, reply) => {
      const auth = requireAuth(request);
      const f = formFields(request.body);
      try {
        const created = await accounts.createToken(actorFor(auth, request.id), auth.user, f.name);
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
        await accounts.revokeToken(actorFor(auth, request.id), request.params.id);
        return reply.redirect('/account', 303);
      },
    );
  };
}
