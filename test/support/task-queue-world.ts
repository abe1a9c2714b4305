import assert from 'node:assert/strict';
import { ERS_REFERRAL } from './referral-fixtures.ts';
import { addTestUser, registerAnn, type TestApp } from './test-app.ts';
import { actorOf, type Actor } from '../../src/services/audit-service.ts';
import { createPatient } from '../../src/services/patient-service.ts';
import type { Role } from '../../src/domain/roles.ts';

/**
 * A caseload with one of every kind of overdue work and one of each second check, built through
 * the services as staff would build it, on a clock moved through 2026 to today, Tuesday
 * 24 November 2026 (the test clock's default):
 *
 * - Ann's pump (implanted 1 April, refilled and signed 1 May): refill overdue, its 2-week review
 *   overdue, the replacement indicator showing since 20 November.
 * - Bob's pump (implanted 16 November, paused 18th to resume by the 23rd): past its resume date;
 *   its 2-week review due this week (30 November).
 * - Cat's pump (implanted 20 November, no fill): no fill recorded; a dose change proposed and
 *   a transfer of care asked for, both waiting for a second clinician.
 * - Dan's pump (implanted 23 November): a refill today with 1.5 mL more withdrawn than expected
 *   (flagged, to review), its next refill booked after the due date.
 * - Eve's pump (implanted 23 November): a refill today, reviewed, waiting to be signed; the next
 *   not yet booked.
 * - Bob has an open emergency event (suspected withdrawal), recorded this morning.
 *   An MRI scan on 23 November whose post-scan check is not recorded (overdue).
 * - Referrals: one received 10 November still not triaged (overdue for triage); one received
 *   1 September, accepted, never booked (breached); one received 2 November, accepted, seen
 *   20 November with no outcome recorded (outcome overdue).
 */
export interface TaskQueueWorld {
  readonly users: Readonly<Record<Role, string>>;
  readonly patients: Readonly<Record<'ann' | 'bob' | 'cat' | 'dan' | 'eve', string>>;
  readonly pumps: Readonly<Record<'ann' | 'bob' | 'cat' | 'dan' | 'eve', string>>;
}

const USERNAMES: Readonly<Record<Role, string>> = {
  administrator: 'ada',
  consultant: 'carl',
  'nurse-specialist': 'nina',
  physiotherapist: 'pete',
  'booking-coordinator': 'bea',
  'service-manager': 'max',
  'emergency-clinician': 'erin',
};

const PRESCRIPTION = {
  concentrationMcgPerMl: 500,
  programme: { mode: 'simple', doseMcgPerDay: 100 },
  phase: 'titration',
  reason: 'Test dose given at another centre',
};

const pumpInput = (serialNumber: string, implantedOn: string) => ({
  modelId: 'synchromed-ii',
  reservoirMl: 20,
  serialNumber,
  implantedOn,
  surgeon: 'Mr P Jones',
  alarmMl: 2,
  origin: 'spinal',
});

const refillInput = (performedOn: string, withdrawnMl: number) => ({
  performedOn,
  expectedResidualMl: 5,
  withdrawnMl,
  concentrationMcgPerMl: 500,
  batch: 'LIO-2231',
  expiresOn: '2027-06-30',
  instilledMl: 20,
  alarmMl: 2,
});

let ubrns = 0;
const ubrn = () => {
  ubrns += 1;
  return `8000 0000 ${String(ubrns).padStart(4, '0')}`;
};

export async function buildTaskQueueWorld(t: TestApp): Promise<TaskQueueWorld> {
  const s = t.deps.services;
  const db = t.deps.database.db;
  const at = (iso: string) => {
    t.clock.set(iso);
  };
  at('2026-05-01T09:00:00.000Z');
  const actors = {} as Record<Role, Actor>;
  for (const [role, username] of Object.entries(USERNAMES) as [Role, string][]) {
    actors[role] = actorOf(await addTestUser(t, role, username), null);
  }
  const nora = actorOf(await addTestUser(t, 'nurse-specialist', 'nora'), null);
  const nina = actors['nurse-specialist'];
  const carl = actors.consultant;
  const bea = actors['booking-coordinator'];

  const patient = async (nhsNumber: string, givenName: string, familyName: string, dateOfBirth: string) =>
    (
      await createPatient({ db, clock: t.clock, timeZone: t.deps.config.timeZone }, nina, {
        nhsNumber,
        givenName,
        familyName,
        dateOfBirth,
        sex: 'female',
        addressLine1: '2 Park Row',
        postcode: 'LS1 5AB',
      })
    ).id;
  const ann = (await registerAnn(t, await addTestUser(t, 'nurse-specialist', 'nell'))).id;
  const bob = await patient('9434765919', 'Bob', 'Brown', '1970-02-02');
  const cat = await patient('9434765927', 'Cat', 'Clarke', '1980-03-03');
  const dan = await patient('9434765935', 'Dan', 'Davies', '1955-04-04');
  const eve = await patient('9434765943', 'Eve', 'Evans', '1990-05-05');

  const prescribe = async (pumpId: string, confirm: boolean) => {
    const p = await s.pumps.proposePrescription(nina, pumpId, PRESCRIPTION);
    if (confirm) {
      await s.pumps.confirmPrescription(carl, p.id, {});
    }
  };
  /** Records a refill by Nina; a flagged one is reviewed by Nora when `review` says so. */
  const refill = async (pumpId: string, performedOn: string, withdrawnMl: number, review: boolean) => {
    let r = await s.refills.record(nina, pumpId, refillInput(performedOn, withdrawnMl));
    if (review && r.flagged) {
      r = await s.refills.review(nora, r.id, {
        note: 'Checked with the patient',
        withdrawalSignsChecked: true,
        withdrawalSignsFound: 'None',
      });
    }
    return r;
  };

  // Ann: refilled and signed on 1 May; by 24 November the refill and the 2-week review are overdue.
  const annPump = (await s.pumps.register(nina, ann, pumpInput('NGP000001H', '2026-04-01'))).id;
  await prescribe(annPump, true);
  const annRefill = await refill(annPump, '2026-05-01', 5, true);
  await s.refills.sign(nora, annRefill.id, { version: annRefill.version });

  // Bob: paused on the 18th to resume by the 23rd, and not resumed.
  at('2026-11-18T09:00:00.000Z');
  const bobPump = (await s.pumps.register(nina, bob, pumpInput('NGP000002H', '2026-11-16'))).id;
  await s.pumps.pause(nina, bobPump, {
    reason: 'mri',
    emptied: true,
    pausedOn: '2026-11-18',
    resumeBy: '2026-11-23',
  });

  // An accepted referral seen on the 20th (booked on the 12th), with no outcome recorded.
  at('2026-11-12T09:00:00.000Z');
  const seen = await s.referrals.create(
    bea,
    { patientId: eve },
    { ...ERS_REFERRAL, ubrn: ubrn(), receivedOn: '2026-11-02' },
  );
  await s.referrals.triage(carl, seen.id, null, { outcome: 'accepted', priority: 'routine' });
  await s.referrals.book(bea, seen.id, {
    date: '2026-11-20',
    time: '09:30',
    clinic: 'Spasticity clinic',
    clinician: 'Dr Jones',
  });

  at('2026-11-24T10:00:00.000Z');
  // Cat: no fill recorded; a first prescription proposed, not yet confirmed.
  const catPump = (await s.pumps.register(nina, cat, pumpInput('NGP000003H', '2026-11-20'))).id;
  await prescribe(catPump, false);
  await s.pumps.requestEnd(nina, catPump, {
    kind: 'transfer',
    endedOn: '2026-11-24',
    reason: 'Moved to Bristol',
  });
  await s.pumps.recordEvent(nina, annPump, { kind: 'eri', occurredOn: '2026-11-20' });

  // Dan: today's refill withdrew 1.5 mL more than expected (flagged, not reviewed); the next
  // refill is booked three days after it is due.
  const danPump = (await s.pumps.register(nina, dan, pumpInput('NGP000004H', '2026-11-23'))).id;
  await prescribe(danPump, true);
  const danRefill = await refill(danPump, '2026-11-24', 6.5, false);
  assert.ok(danRefill.flagged, "Dan's refill is flagged for review");
  const due = await db
    .selectFrom('pumps')
    .select('refill_due_on')
    .where('id', '=', danPump)
    .executeTakeFirstOrThrow();
  assert.ok(due.refill_due_on, "Dan's pump has a refill date");
  const late = new Date(`${due.refill_due_on}T00:00:00Z`);
  late.setUTCDate(late.getUTCDate() + 3);
  await s.pumps.bookAppointment(bea, danPump, { kind: 'refill', onDate: late.toISOString().slice(0, 10) });

  // Eve: today's refill, reviewed if flagged, waiting for the second clinician to sign.
  const evePump = (await s.pumps.register(nina, eve, pumpInput('NGP000005H', '2026-11-23'))).id;
  await prescribe(evePump, true);
  await refill(evePump, '2026-11-24', 5, true);

  // Referrals: one not triaged since the 10th; one accepted from 1 September, never booked.
  await s.referrals.create(
    bea,
    { patientId: cat },
    { ...ERS_REFERRAL, ubrn: ubrn(), receivedOn: '2026-11-10' },
  );
  const breached = await s.referrals.create(
    bea,
    { patientId: dan },
    { ...ERS_REFERRAL, ubrn: ubrn(), receivedOn: '2026-09-01' },
  );
  await s.referrals.triage(carl, breached.id, null, { outcome: 'accepted', priority: 'routine' });

  // An open emergency event: Bob, whose paused pump is past its resume date, has withdrawal signs.
  await s.emergencies.record(nina, bob, {
    kind: 'withdrawal',
    onsetAt: '2026-11-24T08:00:00Z',
    signs: ['itch', 'rebound-spasticity'],
    actionsTaken: 'Advised to attend A&E; ITB team told',
  });
  // Ann: an MRI scan yesterday with its post-scan check still not recorded (overdue since midnight).
  const now = t.clock.now().toISOString();
  at('2026-11-23T08:00:00.000Z');
  const mri = await s.mri.plan(nina, annPump, {
    plannedOn: '2026-11-23',
    fieldStrengthTesla: 1.5,
    confirmedSteps: ['cover', 'conditions', 'check-booked', 'patient-told'],
  });
  at('2026-11-23T11:00:00.000Z');
  await s.mri.recordScan(nina, mri.id, { scannedAt: '2026-11-23T10:00:00Z' });
  at(now);

  return {
    users: USERNAMES,
    patients: { ann, bob, cat, dan, eve },
    pumps: { ann: annPump, bob: bobPump, cat: catPump, dan: danPump, eve: evePump },
  };
}
