import assert from 'node:assert/strict';
import { countRows } from './assertions.ts';
import type { User } from '../../src/storage/users.repository.ts';
import { addTestUser, apiTokenFor, registerAnn, startTestApp, type TestApp } from './test-app.ts';

/**
 * What the pumps, prescriptions and refills API tests share (src/http/routes/pumps/pumps-api-*.test.ts):
 * the request bodies, the app with its staff and Ann registered, and calls on the API that check
 * the answer.
 */

export interface ApiError {
  readonly error: {
    readonly code: string;
    readonly reason?: string;
    readonly fields?: readonly { field: string; message: string }[];
  };
}

export interface Body {
  readonly [key: string]: unknown;
}

/** The test clock's today is Tuesday 24 November 2026; a test that moves it puts it back. */
export const NOW = '2026-11-24T10:00:00.000Z';

export const PUMP = {
  modelId: 'synchromed-ii',
  reservoirMl: 20,
  serialNumber: 'NGP123456H',
  implantedOn: '2026-11-02',
  surgeon: 'Mr P Jones',
  alarmMl: 2,
  catheterModel: '8709SC',
  catheterTipLevel: 'T10',
  origin: 'spinal',
};

export const SIMPLE_100 = { mode: 'simple', doseMcgPerDay: 100 };
export const PRESCRIPTION = { concentrationMcgPerMl: 500, programme: SIMPLE_100, phase: 'titration' };
/**
 * Ann has no positive test dose on record, so a pump's first prescription is compared with
 * nothing and needs a written reason [LABEL-SKY], [CHEO].
 */
export const FIRST_REASON = 'Test dose given at another centre';
export const FIRST_PRESCRIPTION = { ...PRESCRIPTION, reason: FIRST_REASON };

/** Steps from 00:00 to 08:00 and 09:00 to 00:00: an hour with no drug. */
export const FLEX_WITH_GAP = {
  mode: 'flex',
  schedules: [
    {
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      steps: [
        { start: '00:00', end: '08:00', rateMcgPerHour: 4 },
        { start: '09:00', end: '00:00', rateMcgPerHour: 4 },
      ],
    },
  ],
};

/** 6.5 mL withdrawn where 5 mL was expected: 1.5 mL over, more than the 1 mL allowed in a 20 mL pump. */
export const REFILL = {
  performedOn: '2026-11-24',
  expectedResidualMl: 5,
  withdrawnMl: 6.5,
  concentrationMcgPerMl: 500,
  batch: 'LIO-2231',
  expiresOn: '2027-06-30',
  instilledMl: 20,
  alarmMl: 2,
};

/** The app, its staff (each with an API token) and Ann, the patient the tests start from. */
export interface PumpsApiWorld {
  readonly t: TestApp;
  readonly nurse: User;
  readonly consultant: User;
  readonly nurseId: string;
  readonly consultantId: string;
  readonly nurseToken: string;
  readonly consultantToken: string;
  readonly otherNurseToken: string;
  readonly bookingToken: string;
  readonly managerToken: string;
  readonly patientId: string;
}

/**
 * Starts the app on SQLite with a nurse, a consultant, a second nurse, a booking coordinator and a
 * service manager, and registers Ann.
 */
export async function startPumpsApi(): Promise<PumpsApiWorld> {
  const t = await startTestApp('sqlite');
  const nurse = await addTestUser(t, 'nurse-specialist', 'nina');
  const consultant = await addTestUser(t, 'consultant', 'carl');
  const nurseId = nurse.id;
  const consultantId = consultant.id;
  const nurseToken = await apiTokenFor(t, nurse);
  const consultantToken = await apiTokenFor(t, consultant);
  const otherNurseToken = await apiTokenFor(t, await addTestUser(t, 'nurse-specialist', 'nora'));
  const bookingToken = await apiTokenFor(t, await addTestUser(t, 'booking-coordinator', 'bea'));
  const managerToken = await apiTokenFor(t, await addTestUser(t, 'service-manager', 'max'));
  const patientId = (await registerAnn(t, nurse)).id;
  return {
    t,
    nurse,
    consultant,
    nurseId,
    consultantId,
    nurseToken,
    consultantToken,
    otherNurseToken,
    bookingToken,
    managerToken,
    patientId,
  };
}

/**
 * Calls on the API of the app `app()` gives (started in a `before`): `api` answers as it is,
 * `ok` checks the status, `refused` a 400 naming the field, `conflict` a 409 with its code, and
 * `count` counts the rows of a table.
 */
export function pumpsApiCalls(app: () => TestApp) {
  const api = (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) =>
    app().app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const ok = async (
    method: 'GET' | 'POST',
    url: string,
    token: string,
    status: number,
    payload?: unknown,
  ) => {
    const res = await api(method, url, token, payload);
    assert.equal(res.statusCode, status, res.body);
    return res.json<Body>();
  };
  const refused = async (
    url: string,
    token: string,
    payload: unknown,
    field: string,
    message?: RegExp,
  ): Promise<void> => {
    const res = await api('POST', url, token, payload);
    assert.equal(res.statusCode, 400, res.body);
    const body = res.json<ApiError>();
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    const hit = body.error.fields?.find((f) => f.field === field);
    assert.ok(hit, `expected an error on ${field}: ${res.body}`);
    if (message) {
      assert.match(hit.message, message);
    }
  };
  /** A 409 with this code and, when given, this refusal reason. */
  const conflict = async (
    url: string,
    token: string,
    payload: unknown,
    code: string,
    reason?: string,
  ): Promise<void> => {
    const res = await api('POST', url, token, payload);
    assert.equal(res.statusCode, 409, res.body);
    const { error } = res.json<ApiError>();
    assert.equal(error.code, code);
    if (reason !== undefined) {
      assert.equal(error.reason, reason);
    }
  };
  const count = (table: 'pumps' | 'prescriptions' | 'refills'): Promise<number> =>
    countRows(app().deps.database.db, table);
  return { api, ok, refused, conflict, count };
}
