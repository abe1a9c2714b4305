import { request as httpRequest } from 'node:http';
import type { Role } from '../src/domain/roles.ts';
import type { FastifyInstance } from 'fastify';

/**
 * How fuzzed requests reach the service, in-process (inject) or over HTTP to a real server
 * process, and the signed-in sessions and API tokens they are sent with.
 */

/** Where a page form's CSRF token goes; replaced by the session's token when sent. */
export const CSRF_SLOT = 'CSRF-SLOT-7f3a9c';

export type Credential =
  | { readonly kind: 'role'; readonly role: Role }
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'garbage'; readonly header: 'authorization' | 'cookie'; readonly value: string };

/** One generated request, as logged and replayed. */
export interface FuzzRequest {
  readonly method: string;
  /** The path as sent (already percent-encoded, or deliberately not). */
  readonly path: string;
  /** The raw query string without "?" ('' for none). */
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** 'latin1' sends each character as one byte (any byte sequence, invalid UTF-8 included). */
  readonly bodyBytes: 'utf8' | 'latin1';
  readonly credential: Credential;
}

export interface WireRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: string;
}

/** Sends a request; null when the client could not send it at all (a URL or header no HTTP client would send). */
export type Transport = (req: WireRequest) => Promise<WireResponse | null>;

export function injectTransport(app: FastifyInstance): Transport {
  return async (req) => {
    let res;
    try {
      res = await app.inject({
        method: req.method as 'GET',
        url: req.url,
        headers: req.headers,
        ...(req.body === undefined ? {} : { payload: req.body }),
      });
    } catch {
      return null;
    }
    return { status: res.statusCode, headers: res.headers, body: res.body };
  };
}

export function httpTransport(port: number): Transport {
  return (req) =>
    new Promise((resolve) => {
      let r;
      try {
        r = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: req.method,
            path: req.url,
            // Node frames a GET's body only when told its length; unframed, the body would be
            // read as the next request on the connection.
            headers:
              req.body === undefined
                ? req.headers
                : { ...req.headers, 'content-length': String(req.body.length) },
            // A connection of its own: a kept-alive one the server has closed fails as a reset.
            agent: false,
            // A redirect to sign-in carries the (long) fuzzed URL back in its Location header.
            maxHeaderSize: 1024 * 1024,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => {
              chunks.push(c);
            });
            res.on('end', () => {
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks).toString('utf8'),
              });
            });
            res.on('error', (err: NodeJS.ErrnoException) => {
              resolve({ status: 0, headers: {}, body: err.code ?? err.message });
            });
          },
        );
      } catch {
        resolve(null);
        return;
      }
      // A connection the server closed is status 0: counted, and the process checked after.
      r.on('error', (err: NodeJS.ErrnoException) => {
        resolve({ status: 0, headers: {}, body: err.code ?? err.message });
      });
      r.end(req.body);
    });
}

const FORM_TOKEN = /name="_csrf" value="([^"]+)"/;

/** A cookie jar fed from set-cookie headers. */
class Jar {
  readonly cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(res: WireResponse): void {
    const raw = res.headers['set-cookie'];
    for (const line of raw === undefined ? [] : [raw].flat()) {
      const [pair = '', ...attributes] = String(line).split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a),
      );
      if (value === '' || expired) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
  }
}

interface Session {
  readonly jar: Jar;
  csrf: string;
}

/**
 * A browser session and an API token per role. A fuzzed request may sign its role out or reach
 * a page that ends the session; `touched` marks it, and `ensure` signs in again before the
 * role's next request.
 */
export class FuzzSessions {
  readonly #send: Transport;
  readonly #usernames: ReadonlyMap<Role, string>;
  readonly #password: string;
  readonly #tokens: ReadonlyMap<Role, string>;
  readonly #repair: () => Promise<void>;
  readonly #sessions = new Map<Role, Session>();
  readonly #stale = new Set<Role>();
  /** How many times a session had to be made again (reported, not a failure). */
  renewed = 0;

  constructor(
    send: Transport,
    usernames: ReadonlyMap<Role, string>,
    password: string,
    tokens: ReadonlyMap<Role, string>,
    /** Puts back what a fuzzed request may have changed that stops a role signing in. */
    repair: () => Promise<void> = async () => undefined,
  ) {
    this.#repair = repair;
    this.#send = send;
    this.#usernames = usernames;
    this.#password = password;
    this.#tokens = tokens;
  }

  async #get(jar: Jar, url: string): Promise<WireResponse | null> {
    const res = await this.#send({ method: 'GET', url, headers: { cookie: jar.header() }, body: undefined });
    if (res) {
      jar.keep(res);
    }
    return res;
  }

  async signIn(role: Role): Promise<void> {
    const jar = new Jar();
    const form = await this.#get(jar, '/sign-in');
    const csrf = FORM_TOKEN.exec(form?.body ?? '')?.[1] ?? '';
    const body = new URLSearchParams({
      _csrf: csrf,
      username: this.#usernames.get(role) ?? '',
      password: this.#password,
      next: '/',
    });
    const res = await this.#send({
      method: 'POST',
      url: '/sign-in',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(body.toString()),
    });
    if (res) {
      jar.keep(res);
    }
    const account = await this.#get(jar, '/account');
    if (account?.status !== 200) {
      throw new Error(`could not sign ${role} in for fuzzing: /account answered ${String(account?.status)}`);
    }
    this.#sessions.set(role, { jar, csrf: FORM_TOKEN.exec(account.body)?.[1] ?? '' });
    this.#stale.delete(role);
  }

  /** A page's HTML as the role (or nobody, for null) sees it. */
  async page(role: Role | null, url: string): Promise<string> {
    if (role === null) {
      return (await this.#get(new Jar(), url))?.body ?? '';
    }
    return (await this.#get((await this.#session(role)).jar, url))?.body ?? '';
  }

  /** The role's live session, signing in first if it may have ended. */
  async #session(role: Role): Promise<Session> {
    await this.ensure(role);
    const session = this.#sessions.get(role);
    if (!session) {
      throw new Error(`no session for ${role}`);
    }
    return session;
  }

  /** Signs the role in again if a request may have ended its session and it has. */
  async ensure(role: Role): Promise<void> {
    const session = this.#sessions.get(role);
    if (session && !this.#stale.has(role)) {
      return;
    }
    if (session) {
      const check = await this.#get(session.jar, '/account');
      if (check?.status === 200) {
        this.#stale.delete(role);
        return;
      }
      this.renewed += 1;
    }
    try {
      await this.signIn(role);
    } catch {
      await this.#repair();
      await this.signIn(role);
    }
  }

  /** The request as it goes on the wire, with its credential and CSRF token filled in. */
  async wire(req: FuzzRequest, api: boolean): Promise<WireRequest> {
    const c = req.credential;
    const session = c.kind === 'role' && !api ? await this.#session(c.role) : null;
    const csrf = session?.csrf ?? 'no-session';
    const fill = (text: string) => text.split(CSRF_SLOT).join(encodeURIComponent(csrf));
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, fill(v)]));
    if (c.kind === 'garbage') {
      headers[c.header] = c.value;
    } else if (c.kind === 'role') {
      if (api) {
        headers.authorization = `Bearer ${this.#tokens.get(c.role) ?? ''}`;
      } else if (session) {
        headers.cookie = session.jar.header();
      }
    }
    const body = req.body === undefined ? undefined : fill(req.body);
    return {
      method: req.method,
      url: req.query === '' ? req.path : `${req.path}?${req.query}`,
      headers,
      body: body === undefined ? undefined : Buffer.from(body, req.bodyBytes),
    };
  }

  /** After a response: one that set or cleared the session cookie may have ended the session. */
  touched(req: FuzzRequest, res: WireResponse | null): void {
    const cookies = res?.headers['set-cookie'];
    if (req.credential.kind === 'role' && cookies !== undefined && /itb_session=/.test(String(cookies))) {
      this.#stale.add(req.credential.role);
    }
  }

  /** Marks every role for a check before its next request (after a settings change, say). */
  staleAll(): void {
    for (const role of this.#sessions.keys()) {
      this.#stale.add(role);
    }
  }
}
