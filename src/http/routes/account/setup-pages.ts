import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { AppError } from '../../../services/app-error.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields } from '../form.ts';

export function setupRoutes(deps: RouteDeps): FastifyPluginAsync {
  const accounts = deps.services.accounts;
  return async (app) => {
    app.get<{ Params: { token: string } }>(
      '/setup/:token',
      { config: { access: 'public' } },
      async (request, reply) => {
        if (!(await accounts.isSetupTokenValid(request.params.token))) {
          throw new AppError(
            'NOT_FOUND',
            'This set-up link has expired or has been used. Restart the service to get a new one, or sign in.',
          );
        }
        return reply.page('pages/setup.njk', {
          title: 'Create the first administrator account',
          token: request.params.token,
          values: {},
        });
      },
    );

    app.post<{ Params: { token: string } }>(
      '/setup/:token',
      { config: { access: 'public' } },
      async (request, reply) => {
        const f = formFields(request.body);
        try {
          await accounts.completeSetup(request.params.token, f);
        } catch (err) {
          if (err instanceof AppError && err.code !== 'NOT_FOUND') {
            return reply.status(err.status).page('pages/setup.njk', {
              title: 'Create the first administrator account',
              token: request.params.token,
              values: { username: f.username, displayName: f.displayName },
              ...errorContext(err.fieldErrors),
            });
          }
          throw err;
        }
        return reply.redirect('/sign-in?next=%2Fadmin%2Fusers&setUp=1', 303);
      },
    );
  };
}
