import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config.ts';
import type { RouteDeps } from '../../compose.ts';
import { formPageFor, isKeepablePath, keepableFields } from '../../domain/kept-form.ts';
import { AppError } from '../../services/app-error.ts';
import type { KeptFormFound } from '../../services/kept-form-service.ts';
import { restoreKeptForm } from './kept-form-page.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The cookie of a session that has ended, when its form post may be kept (auth.ts). */
    keptFormSession?: string | undefined;
    /** A kept form to put back on this page (see registerKeptForms). */
    keptForm?: KeptFormFound | undefined;
  }
}

export function keptFormCookieName(config: AppConfig): string {
  return config.cookieSecure ? '__Host-itb_kept' : 'itb_kept';
}

/** A form post whose typed values could be kept: an HTML form (not a file upload) to a page. */
export function mayKeepForm(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  return (
    request.method === 'POST' &&
    type.toLowerCase().startsWith('application/x-www-form-urlencoded') &&
    isKeepablePath(request.url.split('?')[0] ?? '/')
  );
}

/**
 * Whether the post's CSRF token holds, asked without answering the request: a post from
 * another site (which cannot send the SameSite=Strict CSRF cookie) is never kept.
 */
function csrfHolds(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): boolean {
  let ok = false;
  const probe = {
    unsignCookie: (value: string) => reply.unsignCookie(value),
    send: () => probe,
  };
  app.csrfProtection(request, probe as unknown as FastifyReply, () => {
    ok = true;
  });
  return ok;
}

/**
 * A form posted after its session ended is kept and the browser sent to sign in, then back to
 * the form's page, where the kept values are put back. Every page form gains this without its
 * route doing anything: the post is caught here, before the route runs, and the page is filled
 * in as it is sent.
 */
export function registerKeptForms(app: FastifyInstance, deps: RouteDeps): void {
  const cookieName = keptFormCookieName(deps.config);
  const accounts = deps.services.accounts;
  let getPatterns: string[] | null = null;
  const pagePatterns = () =>
    (getPatterns ??= app.routeTable.filter((r) => r.method === 'GET').map((r) => r.url));
  const timeText = new Intl.DateTimeFormat('en-GB', {
    timeZone: deps.config.timeZone,
    hour: '2-digit',
    minute: '2-digit',
  });

  // After the body is read and before anything else: the route never runs for this post.
  app.addHook('preValidation', async (request, reply) => {
    const sessionToken = request.keptFormSession;
    if (sessionToken === undefined || request.auth) {
      return undefined;
    }
    const actionPath = request.url.split('?')[0] ?? '/';
    const pagePath = formPageFor(actionPath, pagePatterns());
    const fields = keepableFields(request.body);
    let kept = false;
    if (pagePath !== null && fields !== null && csrfHolds(app, request, reply)) {
      const browserToken = await accounts.keepForm({
        sessionToken,
        browserToken: request.cookies[cookieName],
        actionPath,
        pagePath,
        fields,
        requestId: request.id,
      });
      if (browserToken !== null) {
        void reply.setCookie(cookieName, browserToken, {
          path: '/',
          httpOnly: true,
          secure: deps.config.cookieSecure,
          sameSite: 'strict',
          maxAge: deps.config.keptFormMinutes * 60,
        });
        kept = true;
      }
    }
    const query = kept && pagePath !== null ? `?next=${encodeURIComponent(pagePath)}&kept=1` : '';
    return reply.redirect(`/sign-in${query}`, 303);
  });

  // Belt and braces: a deferred post that was not answered above never reaches its route.
  app.addHook('preHandler', async (request) => {
    if (request.keptFormSession !== undefined && !request.auth) {
      throw new AppError('UNAUTHENTICATED', 'Sign in first');
    }
  });

  // A signed-in page view in a browser holding kept forms: is one of them for this page?
  app.addHook('preHandler', async (request, reply) => {
    const browserToken = request.cookies[cookieName];
    const auth = request.auth;
    if (
      browserToken === undefined ||
      request.method !== 'GET' ||
      auth?.kind !== 'session' ||
      auth.session.stage !== 'full'
    ) {
      return;
    }
    const found = await accounts.findKeptForm({
      browserToken,
      userId: auth.user.id,
      pagePath: request.url.split('?')[0] ?? '/',
    });
    if (found.form) {
      request.keptForm = found.form;
    } else if (!found.browserHasAny) {
      void reply.clearCookie(cookieName, { path: '/' });
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const form = request.keptForm;
    const auth = request.auth;
    const type = String(reply.getHeader('content-type') ?? '');
    if (
      form === undefined ||
      auth?.kind !== 'session' ||
      reply.statusCode !== 200 ||
      typeof payload !== 'string' ||
      !type.startsWith('text/html')
    ) {
      return payload;
    }
    const html = restoreKeptForm(payload, request.url.split('?')[0] ?? '/', {
      actionPath: form.actionPath,
      fields: form.fields,
      keptAtText: timeText.format(new Date(form.keptAt)),
    });
    await accounts.discardKeptForm(auth.user, form, request.id);
    return html;
  });
}
