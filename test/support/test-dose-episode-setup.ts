import assert from 'node:assert/strict';
import { DEFAULT_PUMP_RULES } from '../../src/domain/pump-rules.ts';
import type { Role } from '../../src/domain/roles.ts';
import type { AppError } from '../../src/services/app-error.ts';
import { actorOf, type Actor } from '../../src/services/audit-service.ts';
import { createPatient } from '../../src/services/patient-service.ts';
import type { TestDoseServiceDeps } from '../../src/services/test-dose-support.ts';
import { addUser } from '../../src/services/user-service.ts';
import type { Database, Db } from '../../src/storage/database.ts';
import { countRows, rejects } from './assertions.ts';
import type { TestClock } from './clock.ts';
import { openTestDatabase, type DialectName, type TestDatabase } from './databases.ts';
import { decidedAssessment } from './test-dose-fixtures.ts';

/**
 * The setup the test-dose episode service tests share (src/services/test-dose-service-*.int.test.ts):
 * the pre-checks, the checker, MAS grades, a database with the staff and three patients each
 * selected for a test dose, and the checks that a refusal stores nothing and of the audit steps.
 */

export const PRE_CHECKS = {
  noInfection: true,
  anticoagulantsReviewed: true,
  anticoagulantNote: 'Not on anticoagulants or antiplatelets',
  recentBotulinumToxin: false,
  oralAntispasmodicPlan: 'Continue oral baclofen 20 mg three times a day',
  goals: 'Easier hygiene and sitting for longer',
  // Recorded afterwards: started before every bolus these tests give (October and November 2026).
  startedAt: '2026-10-01T00:00:00Z',
};

/** The second person who checked each dose drawn up (never the giver). */
export const CHECKER = 'Jo Bloggs, staff nurse';

export const mas = (left: string, right: string) => [
  { muscleGroup: 'hip-adductors', side: 'left', grade: left },
  { muscleGroup: 'hip-adductors', side: 'right', grade: right },
];

const TABLES: (keyof Database)[] = [
  'test_dose_episodes',
  'test_dose_boluses',
  'test_dose_observations',
  'audit_events',
];

/** The database, the staff and the patients the test-dose episode tests work with. */
export interface EpisodeWorld {
  readonly database: TestDatabase;
  readonly deps: TestDoseServiceDeps;
  /** Consultant: records, gives boluses, confirms results. */
  readonly cora: Actor;
  /** Nurse specialist: a second prescriber. */
  readonly nina: Actor;
  /** Physiotherapist: records and observes, never doses. */
  readonly pat: Actor;
  /** Booking coordinator: none of it. */
  readonly bea: Actor;
  readonly ann: string;
  readonly tom: string;
  readonly sue: string;
  readonly annAssessment: string;
  readonly tomAssessment: string;
  readonly sueAssessment: string;
}

/** Opens a database with the staff and Ann, Tom and Sue, each selected for a test dose. */
export async function openEpisodeWorld(dialect: DialectName, clock: TestClock): Promise<EpisodeWorld> {
  const database = await openTestDatabase(dialect);
  const db = database.handle.db;
  const deps = { db, clock, config: { timeZone: 'Europe/London', pumpRules: DEFAULT_PUMP_RULES } };
  const add = async (username: string, role: Role) =>
    actorOf(
      await addUser({ db, clock }, null, {
        username,
        displayName: `Test ${username}`,
        role,
        password: 'a-long-test-password',
      }),
      null,
    );
  const cora = await add('cora', 'consultant');
  const nina = await add('nina', 'nurse-specialist');
  const pat = await add('pat', 'physiotherapist');
  const bea = await add('bea', 'booking-coordinator');
  const svc = { db, clock, timeZone: 'Europe/London' };
  const patient = async (nhsNumber: string, givenName: string) =>
    (
      await createPatient(svc, cora, {
        nhsNumber,
        givenName,
        familyName: 'Test',
        dateOfBirth: '1970-01-01',
        sex: 'female',
      })
    ).id;
  const ann = await patient('4857773457', 'Ann');
  const tom = await patient('9434765919', 'Tom');
  const sue = await patient('9000000009', 'Sue');
  // Each patient was selected for a test dose (the bedside gate: test-dose-gate.int.test.ts).
  const proceed = { decision: 'proceed-to-test-dose' } as const;
  const annAssessment = await decidedAssessment(deps, cora, ann, proceed);
  const tomAssessment = await decidedAssessment(deps, cora, tom, proceed);
  const sueAssessment = await decidedAssessment(deps, cora, sue, proceed);
  return { database, deps, cora, nina, pat, bea, ann, tom, sue, annAssessment, tomAssessment, sueAssessment };
}

/**
 * Runs `work`, which must be refused, and checks that nothing at all was stored in `tables`
 * (by default the episodes, boluses, observations and the audit trail).
 */
export async function refusedStoringNothing(
  db: Db,
  work: () => Promise<unknown>,
  code: string,
  field?: string,
  tables: readonly (keyof Database)[] = TABLES,
): Promise<AppError> {
  const before = await Promise.all(tables.map((t) => countRows(db, t)));
  const err = await rejects(work(), code, field);
  assert.deepEqual(await Promise.all(tables.map((t) => countRows(db, t))), before);
  return err;
}

/** The audit steps of an episode, oldest first: the action, and the step when there is one. */
export async function episodeAuditSteps(db: Db, episodeId: string): Promise<string[]> {
  return (
    await db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('entity_id', '=', episodeId)
      .orderBy('seq', 'asc')
      .execute()
  ).map((r) => {
    const step = (JSON.parse(r.details) as { step?: string }).step;
    return step ? `${r.action}:${step}` : r.action;
  });
}

/**
 * The clock time of the observation at `hour` after a bolus given at `givenAt`: on its hour, the
 * baseline ten minutes before the bolus.
 */
export function observedAt(givenAt: string, hour: number): string {
  const offsetMs = hour === 0 ? -10 * 60_000 : hour * 3_600_000;
  return new Date(Date.parse(givenAt) + offsetMs).toISOString();
}
