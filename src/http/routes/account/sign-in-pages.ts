import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { AppError } from '../../../services/app-error.ts';
import { DEMO_ACCOUNTS } from '../../../demo/demo-accounts.ts';
import { safeNextPath } from '../../plugins/auth.ts';
import { sessionCookieName, setSessionCookie } from '../../plugins/security.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields } from '../form.ts';

export function signInRoutes(deps: RouteDeps): FastifyPluginAsync {
  const accounts = deps.services.accounts;
  const cookieName = sessionCookieName(deps.config);
  const demoAccounts = deps.config.demo ? DEMO_ACCOUNTS : [];

  return async (app) => {
    app.get('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
      if (request.auth?.kind === 'session' && request.auth.session.stage === 'full') {
        return reply.redirect('/', 303);
      }
      const q = formFields(request.query);
      return reply.page('pages/sign-in.njk', {
        title: 'Sign in',
        next: safeNextPath(q.next),
        demoAccounts,
        signedOut: q.signedOut === '1',
        passwordChanged: q.passwordChanged === '1',
        setUp: q.setUp === '1',
        kept: q.kept === '1',
        keptMinutes: deps.config.keptFormMinutes,
      });
    });

    app.post('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
      const f = formFields(request.body);
      const next = safeNextPath(f.next);
      // A mistyped password keeps the word that what was typed before is waiting.
      const kept = f.kept === '1';
      const keptMinutes = deps.config.keptFormMinutes;
      const render = (message: string, status: number) =>
        reply.status(status).page('pages/sign-in.njk', {
          title: 'Sign in',
          next,
          demoAccounts,
          kept,
          keptMinutes,
          username: f.username,
          ...errorContext([{ field: 'username', message }]),
        });
      if (!f.username || !f.password) {
        const errors = [
          ...(!f.username ? [{ field: 'username', message: 'Enter your username' }] : []),
          ...(!f.password ? [{ field: 'password', message: 'Enter your password' }] : []),
        ];
        return reply.status(400).page('pages/sign-in.njk', {
          title: 'Sign in',
          next,
          demoAccounts,
          kept,
          keptMinutes,
          username: f.username,
          ...errorContext(errors),
        });
      }
      try {
        const result = await accounts.signIn({
          username: f.username,
          password: f.password,
          ip: request.ip,
          requestId: request.id,
          previousSessionToken: request.cookies[cookieName],
        });
        setSessionCookie(reply, deps.config, result.sessionToken);
        const target =
          result.stage === 'mfa-pending'
            ? `/sign-in/code?next=${encodeURIComponent(next)}`
            : result.stage === 'mfa-enrol'
              ? '/account/two-factor'
              : result.user.mustChangePassword
                ? '/account/password'
                : next;
        return await reply.redirect(target, 303);
      } catch (err) {
        if (
          err instanceof AppError &&
          (err.code === 'INVALID_CREDENTIALS' || err.code === 'SIGN_IN_THROTTLED')
        ) {
          if (err.code === 'SIGN_IN_THROTTLED') {
            reply.header('retry-after', String(err.details.retryAfterSeconds));
          }
          return render(err.message, err.status);
        }
        throw err;
      }
    });

    const partial = { permission: 'signed-in', stages: ['mfa-pending'] } as const;
    app.get('/sign-in/code', { config: { access: partial } }, async (request, reply) => {
      return reply.page('pages/sign-in-code.njk', {
        title: 'Enter your security code',
        next: safeNextPath(formFields(request.query).next),
      });
    });

    app.post('/sign-in/code', { config: { access: partial } }, async (request, reply) => {
      const f = formFields(request.body);
      const auth = request.auth;
      if (auth?.kind !== 'session') {
        throw new AppError('UNAUTHENTICATED', 'Sign in first');
      }
      try {
        const token = await accounts.completeTotpSignIn(auth.session, f.code ?? '', request.ip, request.id);
        setSessionCookie(reply, deps.config, token);
        return await reply.redirect(
          auth.user.mustChangePassword ? '/account/password' : safeNextPath(f.next),
          303,
        );
      } catch (err) {
        if (
          err instanceof AppError &&
          (err.code === 'VALIDATION_FAILED' || err.code === 'SIGN_IN_THROTTLED')
        ) {
          const errors =
            err.fieldErrors.length > 0 ? err.fieldErrors : [{ field: 'code', message: err.message }];
          return reply.status(err.status).page('pages/sign-in-code.njk', {
            title: 'Enter your security code',
            next: safeNextPath(f.next),
            ...errorContext(errors),
          });
        }
        throw err;
      }
    });

    const anyStage = {
      permission: 'signed-in',
      stages: ['full', 'mfa-pending', 'mfa-enrol'],
      duringPasswordChange: true,
    } as const;
    app.get('/sign-out', { config: { access: anyStage } }, async (_request, reply) => {
      return reply.page('pages/sign-out.njk', { title: 'Sign out' });
    });

    app.post('/sign-out', { config: { access: anyStage } }, async (request, reply) => {
      if (request.auth?.kind === 'session') {
        await accounts.signOut(request.auth.session, request.id);
      }
      void reply.clearCookie(cookieName, { path: '/' });
      return reply.redirect('/sign-in?signedOut=1', 303);
    });
  };
}
