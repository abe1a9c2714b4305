import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { ROLE_LABELS, ROLES } from '../../../domain/roles.ts';
import { AppError, validationError } from '../../../services/app-error.ts';
import type { User } from '../../../storage/users.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields, formList, formVersion } from '../form.ts';

const roleItems = ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r] }));

export function adminUserRoutes(deps: RouteDeps): FastifyPluginAsync {
  const accounts = deps.services.accounts;
  const manage = { permission: 'users:manage' } as const;

  /** The hidden version field: anything but a whole number means the form was tampered with or is broken. */
  function versionOf(f: Record<string, string>): number {
    const v = formVersion(f);
    if (v === null) {
      throw validationError([
        { field: 'version', message: 'The form is missing its version: open the account again and retry' },
      ]);
    }
    return v;
  }

  async function showUser(
    reply: FastifyReply,
    user: User,
    viewer: User,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    return reply.status(status).page('pages/admin/user.njk', {
      title: user.displayName,
      account: user,
      self: user.id === viewer.id,
      recoveryCodesLeft: user.totpSecret === null ? 0 : await accounts.recoveryCodesLeft(user.id),
      values: { displayName: user.displayName, role: user.role },
      roleItems,
      ...extra,
    });
  }

  return async (app) => {
    app.get('/admin/users', { config: { access: manage } }, async (request, reply) => {
      const users = await accounts.list();
      // Named in the banner only when it is an account on the list, so a link cannot put
      // words of its own into the page.
      const added = formFields(request.query).added;
      return reply.page('pages/admin/users.njk', {
        title: 'Staff accounts',
        users,
        added: users.some((u) => u.username === added) ? added : undefined,
      });
    });

    app.get('/admin/users/new', { config: { access: manage } }, async (_request, reply) => {
      return reply.page('pages/admin/user-new.njk', { title: 'Add a staff account', values: {}, roleItems });
    });

    app.post('/admin/users', { config: { access: manage } }, async (request, reply) => {
      const f = formFields(request.body);
      try {
        const user = await accounts.add(actorFor(requireAuth(request), request.id), f);
        return await reply.redirect(`/admin/users?added=${encodeURIComponent(user.username)}`, 303);
      } catch (err) {
        if (
          err instanceof AppError &&
          (err.code === 'VALIDATION_FAILED' || err.code === 'DUPLICATE_USERNAME')
        ) {
          return reply.status(err.status).page('pages/admin/user-new.njk', {
            title: 'Add a staff account',
            values: { username: f.username, displayName: f.displayName, role: f.role },
            roleItems,
            ...errorContext(err.fieldErrors),
          });
        }
        throw err;
      }
    });

    app.get<{ Params: { id: string } }>(
      '/admin/users/:id',
      { config: { access: manage } },
      async (request, reply) => {
        const q = formFields(request.query);
        return showUser(reply, await accounts.get(request.params.id), requireAuth(request).user, {
          message: q.done,
        });
      },
    );

    /**
     * A change to one account from its page: run it, then come back to the page with a banner,
     * or show the page again with the problem (a field error, or someone else's newer change).
     */
    const accountAction = (
      path: string,
      run: (request: FastifyRequest, user: User, f: Record<string, string>) => Promise<string>,
    ) => {
      app.post<{ Params: { id: string } }>(path, { config: { access: manage } }, async (request, reply) => {
        const f = formFields(request.body);
        const user = await accounts.get(request.params.id);
        let done: string;
        try {
          done = await run(request, user, f);
        } catch (err) {
          if (
            err instanceof AppError &&
            (err.code === 'VALIDATION_FAILED' || err.code === 'STALE_EDIT' || err.code === 'INVALID_STATE')
          ) {
            return showUser(
              reply,
              user,
              requireAuth(request).user,
              {
                values: { displayName: f.displayName ?? user.displayName, role: f.role ?? user.role },
                conflict: err.code === 'VALIDATION_FAILED' ? undefined : err.message,
                ...errorContext(err.fieldErrors),
              },
              err.status,
            );
          }
          throw err;
        }
        return reply.redirect(`/admin/users/${user.id}?done=${done}`, 303);
      });
    };

    accountAction('/admin/users/:id', async (request, user, f) => {
      await accounts.edit(actorFor(requireAuth(request), request.id), user.id, versionOf(f), f);
      return 'saved';
    });

    accountAction('/admin/users/:id/status', async (request, user, f) => {
      if (f.disabled !== 'true' && f.disabled !== 'false') {
        throw validationError([{ field: 'disabled', message: 'Choose to disable or enable the account' }]);
      }
      const disable = f.disabled === 'true';
      await accounts.setDisabled(actorFor(requireAuth(request), request.id), user.id, versionOf(f), disable);
      return disable ? 'disabled' : 'enabled';
    });

    accountAction('/admin/users/:id/password', async (request, user, f) => {
      await accounts.resetPassword(
        actorFor(requireAuth(request), request.id),
        user.id,
        versionOf(f),
        f.password ?? '',
      );
      return 'password-reset';
    });

    accountAction('/admin/users/:id/two-factor/reset', async (request, user, f) => {
      await accounts.resetSecondFactor(actorFor(requireAuth(request), request.id), user.id, versionOf(f));
      return 'two-factor-reset';
    });

    app.get('/admin/security', { config: { access: manage } }, async (request, reply) => {
      return reply.page('pages/admin/security.njk', {
        title: 'Second-factor rules',
        roleItems,
        required: await accounts.rolesRequiringMfa(),
        saved: formFields(request.query).saved === '1',
      });
    });

    app.post('/admin/security', { config: { access: manage } }, async (request, reply) => {
      const roles = formList(request.body, 'roles');
      try {
        await accounts.setRolesRequiringMfa(actorFor(requireAuth(request), request.id), roles);
      } catch (err) {
        if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
          return reply.status(400).page('pages/admin/security.njk', {
            title: 'Second-factor rules',
            roleItems,
            required: roles,
            ...errorContext(err.fieldErrors),
          });
        }
        throw err;
      }
      return reply.redirect('/admin/security?saved=1', 303);
    });
  };
}
