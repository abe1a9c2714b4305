import assert from 'node:assert/strict';
import { actorOf } from '../../src/services/audit-service.ts';
import { createPatient, updatePatient } from '../../src/services/patient-service.ts';
import type { User } from '../../src/storage/users.repository.ts';
import { addTestUser, apiTokenFor, registerAnn, type TestApp } from './test-app.ts';

/**
 * A patient with a full record for the emergency summary (Ann: allergies, relevant conditions,
 * a SynchroMed II with catheter, a confirmed programme and a signed fill), a patient with no
 * pump (Bob), the ITB team (a nurse and a consultant) and an emergency clinician, each with an
 * API token. The clock stands at 2026-09-11 10:00 UTC, ten days after the fill.
 */
export interface EmergencyWorld {
  readonly nurse: User;
  readonly consultant: User;
  readonly emergency: User;
  readonly nurseToken: string;
  readonly consultantToken: string;
  readonly emergencyToken: string;
  readonly annId: string;
  readonly bobId: string;
  readonly pumpId: string;
}

export const ANN = { nhsNumber: '4857773457', dateOfBirth: '1961-03-14' };
export const BOB = { nhsNumber: '9434765919', dateOfBirth: '1975-06-02' };

export async function buildEmergencyWorld(t: TestApp, emergencyUsername = 'erin'): Promise<EmergencyWorld> {
  t.clock.set('2026-09-01T10:00:00.000Z');
  const nurse = await addTestUser(t, 'nurse-specialist', 'nina');
  const consultant = await addTestUser(t, 'consultant', 'carl');
  const emergency = await addTestUser(t, 'emergency-clinician', emergencyUsername);
  const nurseToken = await apiTokenFor(t, nurse);
  const consultantToken = await apiTokenFor(t, consultant);
  const emergencyToken = await apiTokenFor(t, emergency);
  const deps = { db: t.deps.database.db, clock: t.clock, timeZone: t.deps.config.timeZone };
  const ann = await registerAnn(t, nurse);
  await updatePatient(deps, actorOf(nurse, null), ann.id, ann.version, {
    nhsNumber: ann.nhsNumber,
    givenName: ann.givenName,
    familyName: ann.familyName,
    dateOfBirth: ann.dateOfBirth,
    sex: ann.sex,
    addressLine1: ann.addressLine1,
    town: ann.town,
    postcode: ann.postcode,
    allergies: 'Penicillin (rash)',
    relevantConditions: 'Spinal cord injury at T4 (2009); epilepsy',
    communicationNeeds: 'Hard of hearing: face her when speaking',
    nextOfKinName: 'Tom Smith',
    nextOfKinRelationship: 'Husband',
    nextOfKinPhone: '07700 900123',
  });
  const bob = await createPatient(deps, actorOf(nurse, null), {
    ...BOB,
    givenName: 'Bob',
    familyName: 'Jones',
    sex: 'male',
  });
  const call = async (url: string, token: string, payload: Record<string, unknown>, status: number) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      payload,
    });
    assert.equal(res.statusCode, status, res.body);
    return res.json<Record<string, unknown>>();
  };
  const pumpId = (
    await call(
      `/patients/${ann.id}/pumps`,
      nurseToken,
      {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP700001H',
        implantedOn: '2026-08-01',
        surgeon: 'Mr P Jones',
        alarmMl: 2,
        catheterModel: '8709SC',
        catheterTipLevel: 'T10',
        origin: 'spinal',
      },
      201,
    )
  ).id as string;
  const p = await call(
    `/pumps/${pumpId}/prescriptions`,
    nurseToken,
    {
      concentrationMcgPerMl: 500,
      programme: { mode: 'simple', doseMcgPerDay: 250 },
      phase: 'titration',
      reason: 'Test dose given at another centre',
    },
    201,
  );
  await call(`/prescriptions/${p.id as string}/confirm`, consultantToken, {}, 200);
  const refill = await call(
    `/pumps/${pumpId}/refills`,
    nurseToken,
    {
      performedOn: '2026-09-01',
      expectedResidualMl: 5,
      withdrawnMl: 5,
      concentrationMcgPerMl: 500,
      batch: 'LIO-3001',
      expiresOn: '2027-06-30',
      instilledMl: 20,
      alarmMl: 2,
    },
    201,
  );
  await call(`/refills/${refill.id as string}/sign`, consultantToken, { version: refill.version }, 200);
  t.clock.set('2026-09-11T10:00:00.000Z');
  return {
    nurse,
    consultant,
    emergency,
    nurseToken,
    consultantToken,
    emergencyToken,
    annId: ann.id,
    bobId: bob.id,
    pumpId,
  };
}
