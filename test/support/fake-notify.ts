/**
 * A loopback server speaking the part of GOV.UK Notify's API reminders use: POST
 * /v2/notifications/email and /v2/notifications/sms. Like Notify it checks the bearer JWT the
 * client sends: HS256, signed with the API key's secret (its last 36 characters), `iss` the
 * service id (the 36 before them), `iat` within 30 seconds of now. It records every request and
 * can be told to answer the next ones with an error (500, 429, 400 …) to test retries.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
export const FAKE_SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
/** A key in Notify's format: key name, service id and secret joined by hyphens. */
export const FAKE_NOTIFY_KEY = `itb_test-${FAKE_SERVICE_ID}-${FAKE_SECRET}`;

export const FAKE_TEMPLATES = {
  NOTIFY_TEMPLATE_REFILL_EMAIL: '0d3f6a4e-1c1b-4f4e-9a55-1f0f5b1a0001',
  NOTIFY_TEMPLATE_REFILL_SMS: '0d3f6a4e-1c1b-4f4e-9a55-1f0f5b1a0002',
  NOTIFY_TEMPLATE_REVIEW_EMAIL: '0d3f6a4e-1c1b-4f4e-9a55-1f0f5b1a0003',
  NOTIFY_TEMPLATE_REVIEW_SMS: '0d3f6a4e-1c1b-4f4e-9a55-1f0f5b1a0004',
} as const;

export interface NotifyRequest {
  readonly type: 'email' | 'sms';
  readonly path: string;
  readonly templateId: string;
  readonly to: string;
  readonly personalisation: Record<string, string>;
  readonly reference: string | null;
  /** The status this server answered. */
  readonly status: number;
}

export interface FakeNotify {
  readonly baseUrl: string;
  /** Every request that passed authentication, in order (those answered with an error too). */
  readonly requests: NotifyRequest[];
  /** Requests refused for their token, with the reason. */
  readonly authFailures: string[];
  /** Answer the next requests with these statuses in turn, then 201 again. */
  failNext(...statuses: number[]): void;
  close(): Promise<void>;
}

function b64urlJson(part: string): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Why the token is refused, or null when it is good (Notify's rules). */
export function checkNotifyToken(header: string | undefined, nowSeconds: number): string | null {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m?.[1]) {
    return 'no bearer token';
  }
  const [h, p, s] = m[1].split('.');
  if (!h || !p || !s) {
    return 'not a JWT';
  }
  const head = b64urlJson(h);
  const payload = b64urlJson(p);
  if (head?.alg !== 'HS256' || head.typ !== 'JWT') {
    return `wrong algorithm ${String(head?.alg)}`;
  }
  const expected = createHmac('sha256', FAKE_SECRET).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'bad signature';
  }
  if (payload?.iss !== FAKE_SERVICE_ID) {
    return `wrong iss ${String(payload?.iss)}`;
  }
  if (typeof payload.iat !== 'number' || Math.abs(payload.iat - nowSeconds) > 30) {
    return 'iat missing or more than 30 seconds out';
  }
  return null;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const ERROR_NAMES: Record<number, string> = {
  400: 'BadRequestError',
  403: 'AuthError',
  429: 'RateLimitError',
  500: 'Exception',
};

export async function startFakeNotify(): Promise<FakeNotify> {
  const requests: NotifyRequest[] = [];
  const authFailures: string[] = [];
  const plan: number[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) {
      chunks.push(c as Buffer);
    }
    const path = req.url ?? '';
    const type =
      path === '/v2/notifications/email' ? 'email' : path === '/v2/notifications/sms' ? 'sms' : null;
    if (req.method !== 'POST' || type === null) {
      send(res, 404, { status_code: 404, errors: [{ error: 'NotFound', message: 'Not found' }] });
      return;
    }
    const refused = checkNotifyToken(req.headers.authorization, Math.round(Date.now() / 1000));
    if (refused !== null) {
      authFailures.push(refused);
      send(res, 403, {
        status_code: 403,
        errors: [{ error: 'AuthError', message: `Invalid token: ${refused}` }],
      });
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const to = String(type === 'email' ? body.email_address : body.phone_number);
    const status = plan.shift() ?? 201;
    requests.push({
      type,
      path,
      templateId: String(body.template_id),
      to,
      personalisation: (body.personalisation ?? {}) as Record<string, string>,
      reference: typeof body.reference === 'string' ? body.reference : null,
      status,
    });
    if (status !== 201) {
      send(res, status, {
        status_code: status,
        errors: [
          {
            error: ERROR_NAMES[status] ?? 'Error',
            message: status === 400 ? 'phone_number Not a UK mobile number' : 'try again',
          },
        ],
      });
      return;
    }
    send(res, 201, {
      id: randomUUID(),
      reference: body.reference ?? null,
      content: { body: 'Reminder', from_number: 'NHS' },
      uri: `http://localhost/v2/notifications/x`,
      template: { id: body.template_id, version: 1, uri: 'http://localhost/template' },
    });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      send(res, 500, { status_code: 500, errors: [{ error: 'Exception', message: 'fake failed' }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${String(port)}`,
    requests,
    authFailures,
    failNext: (...statuses: number[]) => {
      plan.push(...statuses);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => {
          if (err) {
            reject(err);
          } else {
            resolve();
          }
        });
      }),
  };
}

/** The environment that points the service's Notify client at the fake. */
export function fakeNotifyEnv(fake: FakeNotify): Record<string, string> {
  return { NOTIFY_API_KEY: FAKE_NOTIFY_KEY, NOTIFY_BASE_URL: fake.baseUrl, ...FAKE_TEMPLATES };
}
