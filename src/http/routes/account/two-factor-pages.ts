import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { AppError } from '../../../services/app-error.ts';
import type { CurrentSession } from '../../../services/auth-types.ts';
import type { User } from '../../../storage/users.repository.ts';
import { setSessionCookie } from '../../plugins/security.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields } from '../form.ts';
import { throttledField } from './throttled-field.ts';

/** Setting up or replacing the second factor (an authenticator app). */
export function twoFactorRoutes(deps: RouteDeps): FastifyPluginAsync {
  const accounts = deps.services.accounts;

  return async (app) => {
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
      const { secret, uri, qrCode } = await accounts.totpSetUp(auth.session);
      return {
        title: 'Set up a second factor',
        required: auth.session.stage === 'mfa-enrol',
        hasTotp: auth.user.totpSecret !== null,
        secret,
        uri,
        qrCode,
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
        const token = await accounts.changeTotp(
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
      // The account page shows the new factor's recovery codes, once.
      return reply.redirect(auth.user.mustChangePassword ? '/account/password' : '/account', 303);
    });
  };
}
