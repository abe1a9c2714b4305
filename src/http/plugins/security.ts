import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import helmet from 'helmet';
import type { AppConfig } from '../../config.ts';

declare module 'fastify' {
  interface FastifyReply {
    /** This response's script nonce, named in its Content-Security-Policy header. */
    cspNonce: string;
  }
}

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
  // helmet's middleware is built once here; @fastify/helmet built a new one for every response
  // to fit the nonce in, a measurable share of each page (npm run bench). Here the nonce is a
  // directive function, which helmet calls per response.
  const nonces = new WeakMap<ServerResponse, string>();
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${nonces.get(res) ?? ''}'`],
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
  app.decorateReply('cspNonce', '');
  app.addHook('onRequest', (request, reply, done) => {
    // Patient data must not be kept by browsers or proxies; the NHS.UK assets set their own.
    reply.header('cache-control', 'no-store');
    const nonce = randomBytes(16).toString('hex');
    reply.cspNonce = nonce;
    nonces.set(reply.raw, nonce);
    // helmet 8 throws its errors rather than passing them here; it calls back with none.
    securityHeaders(request.raw, reply.raw, (err?: unknown) => {
      done(err instanceof Error ? err : undefined);
    });
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
