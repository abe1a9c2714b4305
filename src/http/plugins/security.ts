import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
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

/** Where helmet's policy finds the response's nonce: a property of the response it is given. */
export const NONCE_SLOT = Symbol('cspNonce');

/** Stands for the nonce while helmet writes the policy once; never sent. */
const NONCE_MARK = 'itb-nonce-mark';

/**
 * The security headers helmet sets, worked out once: helmet is run at start-up on a response
 * that is never sent, with a marker where the nonce goes, and what it set is read back. Each
 * response then gets the same headers with its own nonce put in, set on the reply in one step.
 * Running helmet on every response (its middleware validates and sets each header on the raw
 * response, and rebuilds the policy to fit the nonce in) is a measurable share of each page. security.test.ts checks the headers equal what helmet sets.
 */
export function securityHeaders(
  helmetMiddleware: ReturnType<typeof helmet>,
): (nonce: string) => Record<string, string> {
  const request = new IncomingMessage(new Socket());
  const response = Object.assign(new ServerResponse(request), { [NONCE_SLOT]: NONCE_MARK });
  const outcome: { error: Error | null } = { error: null };
  helmetMiddleware(request, response, (err?: unknown) => {
    if (err !== undefined && err !== null) {
      outcome.error = err instanceof Error ? err : new Error('helmet could not set the headers');
    }
  });
  if (outcome.error) {
    throw outcome.error;
  }
  const recorded = Object.entries(response.getHeaders()).map(
    ([name, value]) => [name, String(value)] as const,
  );
  const others = Object.fromEntries(recorded.filter(([name]) => name !== 'content-security-policy'));
  const policy = recorded.find(([name]) => name === 'content-security-policy')?.[1] ?? '';
  const parts = policy.split(NONCE_MARK);
  if (parts.length !== 2) {
    throw new Error('security headers: the Content-Security-Policy must name the nonce exactly once');
  }
  const [before = '', after = ''] = parts;
  return (nonce) => ({ ...others, 'content-security-policy': `${before}${nonce}${after}` });
}

/** helmet configured as this service needs it; `securityHeaders` runs it once. */
export function helmetFor(config: AppConfig): ReturnType<typeof helmet> {
  // A strict CSP: only this origin's files, and inline script only with the per-response
  // nonce (the NHS template's one-line body-class script). OWASP ASVS v5.0.0 chapter 3.
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: [
          "'self'",
          (_req, res) => {
            const nonce = (res as unknown as Record<symbol, unknown>)[NONCE_SLOT];
            return `'nonce-${typeof nonce === 'string' ? nonce : ''}'`;
          },
        ],
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
    // frame-ancestors above is the standard control against framing; X-Frame-Options is its
    // obsolete forerunner and sending both only invites the two to disagree (OWASP
    // Clickjacking Defense Cheat Sheet; CSP Level 2 makes browsers ignore XFO when both exist).
    xFrameOptions: false,
  });
}

export async function registerSecurity(
  app: FastifyInstance,
  config: AppConfig,
  cookieSecret: string,
): Promise<void> {
  const headersWith = securityHeaders(helmetFor(config));
  app.decorateReply('cspNonce', '');
  app.addHook('onRequest', (_request, reply, done) => {
    const nonce = randomBytes(16).toString('hex');
    reply.cspNonce = nonce;
    void reply.headers(headersWith(nonce));
    // Patient data must not be kept by browsers or proxies; the NHS.UK assets set their own.
    void reply.header('cache-control', 'no-store');
    done();
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
