import { DEFAULT_PUMP_RULES } from '../../src/domain/pump-rules.ts';
import type { Actor } from '../../src/services/audit-service.ts';
import { createPatient } from '../../src/services/patient-service.ts';
import { registerPump } from '../../src/services/pump-service.ts';
import type { RefillServiceDeps } from '../../src/services/refill-common.ts';
import { addUser } from '../../src/services/user-service.ts';
import type { TestClock } from './clock.ts';
import { openTestDatabase, type DialectName, type TestDatabase } from './databases.ts';

/** One patient's implanted pump and the three clinicians the refill service tests act as. */
export interface RefillWorld {
  readonly database: TestDatabase;
  readonly deps: RefillServiceDeps;
  readonly nurse: Actor;
  readonly nurse2: Actor;
  readonly consultant: Actor;
  readonly pumpId: string;
}

/**
 * A fresh database with two nurse specialists, a consultant and a SynchroMed II (20 mL, alarm at
 * 2 mL) implanted on 1 October 2026, with no prescription yet: each test file prescribes its own.
 */
export async function openRefillWorld(
  dialect: DialectName,
  clock: TestClock,
  serialNumber: string,
): Promise<RefillWorld> {
  const database = await openTestDatabase(dialect);
  const db = database.handle.db;
  const deps: RefillServiceDeps = {
    db,
    clock,
    config: {
      timeZone: 'Europe/London',
      pumpRules: DEFAULT_PUMP_RULES,
      closedDays: [],
      service: { adviceLine: { phone: '0113 000 0000', hours: '' } },
    },
  };
  const actor = async (username: string, role: 'nurse-specialist' | 'consultant'): Promise<Actor> => {
    const u = await addUser({ db, clock }, null, {
      username,
      displayName: username,
      role,
      password: 'a-long-test-password',
    });
    return { userId: u.id, username, role, requestId: null };
  };
  const nurse = await actor('nina', 'nurse-specialist');
  const nurse2 = await actor('noel', 'nurse-specialist');
  const consultant = await actor('carla', 'consultant');
  const patient = await createPatient({ db, clock, timeZone: 'Europe/London' }, nurse, {
    nhsNumber: '4857773457',
    givenName: 'Ann',
    familyName: 'Smith',
    dateOfBirth: '1961-03-14',
    sex: 'female',
  });
  const pump = await registerPump(deps, nurse, patient.id, {
    modelId: 'synchromed-ii',
    reservoirMl: 20,
    serialNumber,
    implantedOn: '2026-10-01',
    surgeon: 'Mr A Surgeon',
    alarmMl: 2,
    origin: 'spinal',
  });
  return { database, deps, nurse, nurse2, consultant, pumpId: pump.id };
}
