import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { composeApp, type AppDeps } from '../../src/compose.ts';
import { loadConfig, type AppConfig } from '../../src/config.ts';
import type { Role } from '../../src/domain/roles.ts';
import { buildApp } from '../../src/http/app.ts';
import { actorOf } from '../../src/services/audit-service.ts';
import { createPatient } from '../../src/services/patient-service.ts';
import { createApiToken } from '../../src/services/token-service.ts';
import { addUser } from '../../src/services/user-service.ts';
import type { Patient } from '../../src/storage/patients.repository.ts';
import type { User } from '../../src/storage/users.repository.ts';
import { TestClock } from './clock.ts';
import { openTestDatabase, type DialectName, type TestDatabase } from './databases.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly deps: AppDeps;
  readonly clock: TestClock;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

/** The service's phone and email every test app has unless a test sets its own service. */
export const TEST_SERVICE_CONTACTS = { SERVICE_PHONE: '0113 392 4000', SERVICE_EMAIL: 'itb.service@nhs.net' };

export async function startTestApp(
  dialect: DialectName = 'sqlite',
  config: Partial<AppConfig> = {},
  postgresUrl?: string,
): Promise<TestApp> {
  const database = await openTestDatabase(dialect, postgresUrl);
  const clock = new TestClock();
  // The service's contacts are set, as in any service that sends letters (a service without them
  // refuses to make letters: letter-readiness.ts); a test of that refusal passes its own service.
  const deps = await composeApp(loadConfig(TEST_SERVICE_CONTACTS, config), {
    clock,
    database: database.handle,
    migrate: false,
  });
  const app = await buildApp(deps, { logger: false });
  return {
    app,
    deps,
    clock,
    database,
    close: async () => {
      await app.close();
      await database.dispose();
    },
  };
}

export const PASSWORD = 'a-long-test-password-1';

/** Adds an account that need not change its password (as the CLI does). */
export async function addTestUser(
  t: TestApp,
  role: Role,
  username: string = role.replace(/[^a-z]/g, '') + 'user',
): Promise<User> {
  return addUser({ db: t.deps.database.db, clock: t.clock }, null, {
    username,
    displayName: `Test ${role}`,
    role,
    password: PASSWORD,
  });
}

/** A cookie jar and CSRF-aware form poster for inject(). */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly t: TestApp;
  constructor(t: TestApp) {
    this.t = t;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) {
        this.cookies.delete(c.name);
      } else {
        this.cookies.set(c.name, c.value);
      }
    }
    return res;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.t.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } }),
    );
  }

  /** Fetches `formPage` for its CSRF token, then posts the fields to `url`. */
  async post(
    url: string,
    fields: Record<string, string | string[]>,
    formPage = '/sign-in',
  ): Promise<LightMyRequestResponse> {
    const page = await this.get(formPage);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return this.postRaw(url, { _csrf: token, ...fields });
  }

  async postRaw(url: string, fields: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) {
      for (const item of Array.isArray(v) ? v : [v]) {
        body.append(k, item);
      }
    }
    return this.keep(
      await this.t.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      }),
    );
  }

  async signIn(username: string, password = PASSWORD): Promise<LightMyRequestResponse> {
    return this.post('/sign-in', { username, password, next: '/' });
  }
}

export const SESSION_COOKIE = '__Host-itb_session';

/** Registers Ann Smith (NHS number 485 777 3457), the patient most tests work with. */
export async function registerAnn(t: TestApp, by: User): Promise<Patient> {
  return createPatient(
    { db: t.deps.database.db, clock: t.clock, timeZone: t.deps.config.timeZone },
    actorOf(by, null),
    {
      nhsNumber: '4857773457',
      givenName: 'Ann',
      familyName: 'Smith',
      dateOfBirth: '1961-03-14',
      sex: 'female',
      // Letters are posted to her: a patient with no address gets no letter (letter-readiness.ts).
      addressLine1: '1 Park Row',
      town: 'Leeds',
      postcode: 'LS1 5AB',
    },
  );
}

/** A personal API token for the user, for `Authorization: Bearer …` in API tests. */
export async function apiTokenFor(t: TestApp, user: User): Promise<string> {
  const { token } = await createApiToken(
    { db: t.deps.database.db, clock: t.clock, tokenLifetimeDays: t.deps.config.apiTokenLifetimeDays },
    actorOf(user, null),
    user,
    'test',
  );
  return token;
}
