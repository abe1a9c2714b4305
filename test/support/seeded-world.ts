import type { LightMyRequestResponse } from 'fastify';
import { ROLES, type Role } from '../../src/domain/roles.ts';
import { actorOf } from '../../src/services/audit-service.ts';
import { createApiToken } from '../../src/services/token-service.ts';
import type { User } from '../../src/storage/users.repository.ts';
import { FIRST_PRESCRIPTION, PUMP, REFILL } from './pumps-api-fixtures.ts';
import { ERS_REFERRAL } from './referral-fixtures.ts';
import { addTestUser, apiTokenFor, registerAnn, type TestApp } from './test-app.ts';
import { decidedAssessment } from './test-dose-fixtures.ts';

/**
 * An app with one account of every role (each with an API token) and one record of each kind
 * the routes take an id of, made through the API as a user would. The authorisation matrix and
 * the fuzzer put these ids into route patterns, so a caller who should be refused meets a real
 * record (a missing check would answer 2xx, not 404) and a fuzzed request reaches the handler's
 * validation rather than stopping at "not found".
 *
 * Records are made best effort: a step the API refuses leaves its kind out of `ids`, it is
 * reported in `missing`, and the routes that take it get an id that matches nothing.
 */
export interface SeededWorld {
  readonly users: ReadonlyMap<Role, User>;
  readonly tokens: ReadonlyMap<Role, string>;
  /** A second consultant: the other clinician of two-person checks, and the "other" account. */
  readonly other: User;
  readonly otherToken: string;
  /** Record ids by the kind a route parameter names (see `idKindOf`). */
  readonly ids: ReadonlyMap<IdKind, string>;
  readonly missing: readonly string[];
}

export type IdKind =
  | 'patient'
  | 'referral'
  | 'assessment'
  | 'protocol'
  | 'pump'
  | 'prescription'
  | 'refill'
  | 'test-dose'
  | 'bolus'
  | 'user'
  | 'api-token'
  | 'appointment';

/** An id that matches nothing (a well-formed UUID, so it is not refused for its shape). */
export const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/** The path segment before a parameter, or the parameter's own name, to the kind of record it names. */
const KIND_BY_NAME: Readonly<Record<string, IdKind>> = {
  patientId: 'patient',
  pumpId: 'pump',
  refillId: 'refill',
  bolusId: 'bolus',
  appointmentId: 'appointment',
  patients: 'patient',
  referrals: 'referral',
  assessments: 'assessment',
  protocols: 'protocol',
  pumps: 'pump',
  prescriptions: 'prescription',
  refills: 'refill',
  'test-doses': 'test-dose',
  users: 'user',
  tokens: 'api-token',
  'pump-appointments': 'appointment',
  appointments: 'appointment',
  // The FHIR endpoint's Patient/{id}/$everything names the seeded patient.
  Patient: 'patient',
};

/** The kind of record the parameter `name` at segment `index` of `url` names, if known. */
export function idKindOf(url: string, name: string): IdKind | undefined {
  const direct = KIND_BY_NAME[name];
  if (direct) {
    return direct;
  }
  const segments = url.split('/');
  const at = segments.indexOf(`:${name}`);
  return at > 0 ? KIND_BY_NAME[segments[at - 1] ?? ''] : undefined;
}

/** `url` with each `:param` replaced by `pick(kind, name)` and a trailing wildcard filled. */
export function fillPattern(url: string, pick: (kind: IdKind | undefined, name: string) => string): string {
  return url
    .replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(pick(idKindOf(url, name), name)))
    .replace(/\*$/, 'x');
}

export async function seedWorld(t: TestApp): Promise<SeededWorld> {
  const users = new Map<Role, User>();
  const tokens = new Map<Role, string>();
  for (const role of ROLES) {
    const user = await addTestUser(t, role);
    users.set(role, user);
    tokens.set(role, await apiTokenFor(t, user));
  }
  const other = await addTestUser(t, 'consultant', 'otherconsultant');
  const otherToken = await apiTokenFor(t, other);
  const ids = new Map<IdKind, string>();
  const missing: string[] = [];
  const consultant = tokens.get('consultant') ?? '';
  const nurse = tokens.get('nurse-specialist') ?? '';

  const step = async (
    label: string,
    token: string,
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
  ): Promise<Record<string, unknown> | null> => {
    const res: LightMyRequestResponse = await t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    if (res.statusCode >= 300) {
      missing.push(`${label}: ${String(res.statusCode)} ${res.body.slice(0, 200)}`);
      return null;
    }
    return res.json<Record<string, unknown>>();
  };
  const keep = (kind: IdKind, body: Record<string, unknown> | null) => {
    if (typeof body?.id === 'string') {
      ids.set(kind, body.id);
    }
  };

  const patientId = (await registerAnn(t, users.get('consultant')!)).id;
  ids.set('patient', patientId);
  // The emergency clinician has broken the glass for Ann, so her emergency summary answers them
  // as it would in use, and every other route of her record is still refused to them.
  await step('break-glass', tokens.get('emergency-clinician') ?? '', 'POST', '/break-glass', {
    nhsNumber: '4857773457',
    dateOfBirth: '1961-03-14',
    reason: 'Attending A&E for the authorisation matrix',
  });
  keep('referral', await step('referral', consultant, 'POST', '/referrals', { patientId, ...ERS_REFERRAL }));
  keep(
    'assessment',
    await step('assessment', consultant, 'POST', '/assessments', { patientId, protocolCode: 'adult-itb' }),
  );
  const protocols = await t.app.inject({
    url: '/api/v1/protocols',
    headers: { authorization: `Bearer ${consultant}` },
  });
  const protocol = protocols.json<{ id?: string }[]>()[0];
  if (protocol?.id) {
    ids.set('protocol', protocol.id);
  }
  const pump = await step('pump', nurse, 'POST', `/patients/${patientId}/pumps`, PUMP);
  keep('pump', pump);
  if (typeof pump?.id === 'string') {
    const pumpId = pump.id;
    const proposed = await step('prescription', nurse, 'POST', `/pumps/${pumpId}/prescriptions`, {
      ...FIRST_PRESCRIPTION,
    });
    keep('prescription', proposed);
    await step('confirm', consultant, 'POST', `/prescriptions/${String(proposed?.id)}/confirm`, {});
    keep('refill', await step('refill', nurse, 'POST', `/pumps/${pumpId}/refills`, REFILL));
    keep(
      'appointment',
      await step('appointment', nurse, 'POST', `/pumps/${pumpId}/appointments`, {
        kind: 'refill',
        onDate: '2026-12-15',
      }),
    );
  }
  await seedTestDose(t, users.get('consultant')!, patientId, ids, missing);
  ids.set('user', other.id);
  const otherTokenRecord = await createApiToken(
    { db: t.deps.database.db, clock: t.clock, tokenLifetimeDays: t.deps.config.apiTokenLifetimeDays },
    actorOf(other, null),
    other,
    'the other account',
  );
  ids.set('api-token', otherTokenRecord.id);
  return { users, tokens, other, otherToken, ids, missing };
}

/** A decided assessment (through the services) and a test-dose episode with one bolus. */
async function seedTestDose(
  t: TestApp,
  consultant: User,
  patientId: string,
  ids: Map<IdKind, string>,
  missing: string[],
): Promise<void> {
  const deps = { db: t.deps.database.db, clock: t.clock, timeZone: t.deps.config.timeZone };
  let assessmentId: string;
  try {
    const proceed = { decision: 'proceed-to-test-dose' } as const;
    assessmentId = await decidedAssessment(deps, actorOf(consultant, null), patientId, proceed);
  } catch (err) {
    missing.push(`decided assessment: ${String(err)}`);
    return;
  }
  const token = await apiTokenFor(t, consultant);
  const post = (url: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload });
  const episode = await post(`/api/v1/patients/${patientId}/test-doses`, {
    assessmentId,
    noInfection: true,
    anticoagulantsReviewed: true,
    recentBotulinumToxin: false,
    oralAntispasmodicPlan: 'Continue oral baclofen',
    goals: 'Easier hygiene',
    // Recorded afterwards: started before the 09:00 bolus.
    startedAt: '2026-11-24T08:00:00Z',
  });
  if (episode.statusCode !== 201) {
    missing.push(`test dose: ${String(episode.statusCode)} ${episode.body.slice(0, 200)}`);
    return;
  }
  const episodeId = episode.json<{ id: string }>().id;
  ids.set('test-dose', episodeId);
  const bolus = await post(`/api/v1/test-doses/${episodeId}/boluses`, {
    doseMcg: 50,
    route: 'lumbar-puncture',
    givenAt: '2026-11-24T09:00:00Z',
    checkedBy: 'Nina Nurse',
  });
  const bolusId =
    bolus.statusCode === 201 ? bolus.json<{ boluses: { id: string }[] }>().boluses[0]?.id : undefined;
  if (bolusId) {
    ids.set('bolus', bolusId);
  } else {
    missing.push(`bolus: ${String(bolus.statusCode)} ${bolus.body.slice(0, 200)}`);
  }
}
