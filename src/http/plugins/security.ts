import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import type { AppConfig } from '../../config.ts';

export function sessionCookieName(config: AppConfig): string {
  // The __Host- prefix pins the cookie to this host and path / (it needs the Secure flag).
  return config.cookieSecure ? '__Host-itb_session' : 'itb_session';
}

/** Sets the session cookie: script cannot read it, it goes only over HTTPS (or localhost), and
 * other sites' pages do not send it with their form posts. */
export function setSessionCookie(reply: FastifyReply, config: AppConfig, token: string): void {
  void reply.setCookie(sessionCookieName(config), token, {
    path: '/',
    httpOnly: true,
    secure: config.cookieSecure,
    sameSite: 'lax',
  });
}

export async function registerSecurity(
  app: FastifyInstance,
  config: AppConfig,
  cookieSecret: string,
): Promise<void> {
  // A strict CSP: only this origin's files, and inline script only with the per-response
  // nonce (the NHS template's one-line body-class script). OWASP ASVS v5.0.0 chapter 3.
  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        manifestSrc: ["'self'"],
      },
    },
    strictTransportSecurity: config.cookieSecure ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (_request, reply) => {
    // Patient data must not be kept by browsers or proxies.
    if (!reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
  });
  await app.register(fastifyCookie, { secret: cookieSecret });
  await app.register(fastifyCsrf, {
    cookieKey: config.cookieSecure ? '__Host-itb_csrf' : 'itb_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', secure: config.cookieSecure, path: '/' },
    getToken: (req) =>
      (req.body as Record<string, string> | undefined)?._csrf ??
      (req.headers['x-csrf-token'] as string | undefined),
  });
}
