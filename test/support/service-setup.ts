import type { Role } from '../../src/domain/roles.ts';
import type { Actor } from '../../src/services/audit-service.ts';
import type { Clock } from '../../src/services/clock.ts';
import { createPatient } from '../../src/services/patient-service.ts';
import { addUser } from '../../src/services/user-service.ts';
import type { Db } from '../../src/storage/database.ts';

/**
 * The set-up the service tests (*.int.test.ts) repeat: a staff member to act as, two patients
 * (Ann and Bob), a SynchroMed II to register, and counting audit rows by action.
 */

/** Adds a staff member with `role` and returns them as an actor (no request id). */
export async function addActor(
  deps: { readonly db: Db; readonly clock: Clock },
  username: string,
  role: Role,
  displayName = username,
): Promise<Actor> {
  const u = await addUser({ db: deps.db, clock: deps.clock }, null, {
    username,
    displayName,
    role,
    password: 'a-long-test-password',
  });
  return { userId: u.id, username, role, requestId: null };
}

/** Ann Smith, the tests' usual patient (a valid NHS number). */
export const ANN_SMITH = {
  nhsNumber: '4857773457',
  givenName: 'Ann',
  familyName: 'Smith',
  dateOfBirth: '1961-03-14',
  sex: 'female',
} as const;

/** Bob Jones, the other patient, for "not this patient's" checks. */
export const BOB_JONES = {
  nhsNumber: '9434765919',
  givenName: 'Bob',
  familyName: 'Jones',
  dateOfBirth: '1970-05-01',
  sex: 'male',
} as const;

/** Registers a patient (Europe/London) and returns their id. */
export async function addPatient(
  deps: { readonly db: Db; readonly clock: Clock },
  actor: Actor,
  details: typeof ANN_SMITH | typeof BOB_JONES,
): Promise<string> {
  return (await createPatient({ db: deps.db, clock: deps.clock, timeZone: 'Europe/London' }, actor, details))
    .id;
}

/** A SynchroMed II (20 mL, alarm at 2 mL, spinal) implanted on 1 September 2026: add a serial. */
export const SYNCHROMED_II = {
  modelId: 'synchromed-ii',
  reservoirMl: 20,
  implantedOn: '2026-09-01',
  surgeon: 'Mr A Surgeon',
  alarmMl: 2,
  origin: 'spinal',
} as const;

/** How many audit rows there are with `action`. */
export async function auditCount(db: Db, action: string): Promise<number> {
  const r = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('action', '=', action)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
