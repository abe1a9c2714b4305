import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addTestUser,
  registerAnn,
  startTestApp,
  type TestApp,
  apiTokenFor,
} from '../../../../test/support/test-app.ts';
import { seedDemoTestDoses } from '../../../demo/seed-test-doses.ts';
import { actorOf } from '../../../services/audit-service.ts';
import { createPatient } from '../../../services/patient-service.ts';
import { latestPositiveTestDose } from '../../../storage/test-doses.repository.ts';
import type { User } from '../../../storage/users.repository.ts';

interface ApiError {
  readonly error: { readonly code: string; readonly fields?: readonly { field: string; message: string }[] };
}

interface Body {
  readonly [key: string]: unknown;
}

/** The test clock's today is Tuesday 24 November 2026; a test that moves it puts it back. */
const NOW = '2026-11-24T10:00:00.000Z';

const PUMP = {
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

const SIMPLE_100 = { mode: 'simple', doseMcgPerDay: 100 };
const PRESCRIPTION = { concentrationMcgPerMl: 500, programme: SIMPLE_100, phase: 'titration' };
/**
 * Ann has no positive test dose on record, so a pump's first prescription is compared with
 * nothing and needs a written reason [LABEL-SKY], [CHEO].
 */
const FIRST_REASON = 'Test dose given at another centre';
const FIRST_PRESCRIPTION = { ...PRESCRIPTION, reason: FIRST_REASON };

/** Steps from 00:00 to 08:00 and 09:00 to 00:00: an hour with no drug. */
const FLEX_WITH_GAP = {
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
const REFILL = {
  performedOn: '2026-11-24',
  expectedResidualMl: 5,
  withdrawnMl: 6.5,
  concentrationMcgPerMl: 500,
  batch: 'LIO-2231',
  expiresOn: '2027-06-30',
  instilledMl: 20,
  alarmMl: 2,
};

describe('pumps, prescriptions and refills API on sqlite', () => {
  let t: TestApp;
  let nurseToken = '';
  let otherNurseToken = '';
  let consultantToken = '';
  let bookingToken = '';
  let managerToken = '';
  let nurseId = '';
  let consultantId = '';
  let patientId = '';
  let pumpId = '';
  let prescriptionId = '';
  let refillId = '';
  let refillVersion = 0;
  let secondPumpId = '';
  let tomId = '';
  let tomPumpId = '';
  let nurse: User;
  let consultant: User;

  const api = (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) =>
    t.app.inject({
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
  const conflict = async (url: string, token: string, payload: unknown, code: string): Promise<void> => {
    const res = await api('POST', url, token, payload);
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json<ApiError>().error.code, code);
  };
  const count = async (table: 'pumps' | 'prescriptions' | 'refills'): Promise<number> => {
    const r = await t.deps.database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  };

  before(async () => {
    t = await startTestApp('sqlite');
    nurse = await addTestUser(t, 'nurse-specialist', 'nina');
    consultant = await addTestUser(t, 'consultant', 'carl');
    nurseId = nurse.id;
    consultantId = consultant.id;
    nurseToken = await apiTokenFor(t, nurse);
    consultantToken = await apiTokenFor(t, consultant);
    otherNurseToken = await apiTokenFor(t, await addTestUser(t, 'nurse-specialist', 'nora'));
    bookingToken = await apiTokenFor(t, await addTestUser(t, 'booking-coordinator', 'bea'));
    managerToken = await apiTokenFor(t, await addTestUser(t, 'service-manager', 'max'));
    patientId = (await registerAnn(t, nurse)).id;
  });
  after(async () => {
    await t.close();
  });

  it('registers a pump (201), refusing bad ones by field, and lists it', async () => {
    const url = `/patients/${patientId}/pumps`;
    await refused(url, nurseToken, { ...PUMP, reservoirMl: 30 }, 'reservoirMl', /20 or 40/);
    await refused(url, nurseToken, { ...PUMP, alarmMl: 20 }, 'alarmMl');
    await refused(url, nurseToken, { ...PUMP, implantedOn: '2026-12-01' }, 'implantedOn');
    await refused(url, nurseToken, { ...PUMP, reservoirMl: '20 mL' }, 'reservoirMl', /no units/);
    await refused(url, nurseToken, [PUMP], 'body');
    assert.equal(await count('pumps'), 0);

    const pump = await ok('POST', url, nurseToken, 201, PUMP);
    pumpId = pump.id as string;
    assert.equal(pump.state, 'implanted');
    assert.equal(pump.reservoirMl, 20);
    assert.equal(pump.alarmOn, null);
    await refused(url, nurseToken, PUMP, 'serialNumber', /already registered/);

    const list = await ok('GET', url, bookingToken, 200);
    assert.deepEqual(
      (list.pumps as Body[]).map((p) => p.id),
      [pumpId],
    );
  });

  it('refuses implausible prescriptions naming the field, in the units the mistake was made in', async () => {
    const url = `/pumps/${pumpId}/prescriptions`;
    await refused(url, nurseToken, { ...PRESCRIPTION, concentrationMcgPerMl: 0 }, 'concentrationMcgPerMl');
    await refused(
      url,
      nurseToken,
      { ...PRESCRIPTION, concentrationMcgPerMl: 2 },
      'concentrationMcgPerMl',
      /mg\/mL/,
    );
    await refused(
      url,
      nurseToken,
      { ...PRESCRIPTION, programme: { mode: 'simple', doseMcgPerDay: 0.4 } },
      'programme.doseMcgPerDay',
      /milligrams/,
    );
    await refused(
      url,
      nurseToken,
      { ...PRESCRIPTION, programme: FLEX_WITH_GAP },
      'programme.schedules.0.steps',
      /no gap or overlap/,
    );
    await refused(url, nurseToken, { ...PRESCRIPTION, phase: 'loading' }, 'phase');
    assert.equal(await count('prescriptions'), 0);
  });

  it('proposes a prescription (nurse) that only the second clinician can confirm', async () => {
    const url = `/pumps/${pumpId}/prescriptions`;
    // The first prescription has no dose 24 hours ago to be compared with: it is compared with
    // the starting dose from the latest positive test dose, and Ann has none on record.
    await refused(url, nurseToken, PRESCRIPTION, 'reason', /^Give the reason: No positive test dose/);
    await refused(url, nurseToken, { ...PRESCRIPTION, reason: '   ' }, 'reason', /No positive test dose/);
    assert.equal(await count('prescriptions'), 0);

    const proposed = await ok('POST', url, nurseToken, 201, FIRST_PRESCRIPTION);
    prescriptionId = proposed.id as string;
    assert.equal(proposed.state, 'pending');
    assert.equal(proposed.planningDoseMcgPerDay, 100);
    assert.equal(proposed.proposedBy, nurseId);
    assert.equal(proposed.reason, FIRST_REASON);
    // Nothing to compare with: no percentage and no within-limit verdict are made up.
    assert.equal(proposed.comparedDoseMcgPerDay, null);
    assert.equal(proposed.changePercent, null);
    assert.equal(proposed.withinLimit, null);
    assert.match(proposed.description as string, /100 mcg\/day/);

    // A second proposal while one waits is a conflict, not a second pending change.
    await conflict(url, nurseToken, FIRST_PRESCRIPTION, 'INVALID_STATE');
    // The proposer cannot be their own second check (hazard H-018).
    await refused(`/prescriptions/${prescriptionId}/confirm`, nurseToken, {}, 'checkedBy');

    const confirmed = await ok('POST', `/prescriptions/${prescriptionId}/confirm`, consultantToken, 200, {
      note: 'Checked against the titration plan',
    });
    assert.equal(confirmed.state, 'active');
    assert.equal(confirmed.decidedBy, consultantId);
    await conflict(`/prescriptions/${prescriptionId}/confirm`, otherNurseToken, {}, 'INVALID_STATE');
  });

  it('refuses refills with bad volumes or a strength the prescription does not have', async () => {
    const url = `/pumps/${pumpId}/refills`;
    await refused(url, nurseToken, { ...REFILL, instilledMl: 25 }, 'instilledMl', /reservoir holds/);
    await refused(url, nurseToken, { ...REFILL, expiresOn: '2026-11-24' }, 'expiresOn');
    await refused(
      url,
      nurseToken,
      { ...REFILL, concentrationMcgPerMl: 1000 },
      'concentrationMcgPerMl',
      /differs from the prescription's 500/,
    );
    await refused(
      url,
      nurseToken,
      { ...REFILL, newPrescription: { programme: FLEX_WITH_GAP, phase: 'maintenance' } },
      'newPrescription.programme.schedules.0.steps',
    );
    await refused(
      url,
      nurseToken,
      {
        ...REFILL,
        concentrationMcgPerMl: 1000,
        newPrescription: { programme: { mode: 'simple', doseMcgPerDay: 0.1 }, phase: 'maintenance' },
      },
      'newPrescription.programme.doseMcgPerDay',
      /milligrams/,
    );
    // A booking coordinator books refills but does not record them.
    assert.equal((await api('POST', url, bookingToken, REFILL)).statusCode, 403);
    assert.equal(await count('refills'), 0);
  });

  it('records a refill with a flagged 1.5 mL discrepancy and its plan', async () => {
    const refill = await ok('POST', `/pumps/${pumpId}/refills`, nurseToken, 201, REFILL);
    refillId = refill.id as string;
    refillVersion = refill.version as number;
    assert.equal(refill.state, 'recorded');
    assert.equal(refill.discrepancyMl, 1.5);
    assert.equal(refill.discrepancyPercent, 30);
    assert.equal(refill.thresholdMl, 1);
    assert.equal(refill.flagged, true);
    // 100 mcg/day at 500 mcg/mL is 0.2 mL/day; (20 − 2) mL lasts 90 days: alarm 22 Feb 2027,
    // due a 7-day buffer before, on Monday 15 February.
    assert.equal(refill.dailyVolumeMl, 0.2);
    assert.equal(refill.alarmOn, '2027-02-22');
    assert.equal(refill.dueBy, '2027-02-15');
    assert.equal(refill.limitedBy, 'alarm');
    assert.equal(refill.prescriptionId, prescriptionId);
    // Until it is signed the pump keeps whichever plan runs out sooner. It had none, so the
    // worklist already counts from this fill; it is not yet the pump's last (signed) refill.
    const before = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
    assert.equal((before.pump as Body).lastRefillId, null);
    assert.equal((before.pump as Body).alarmOn, '2027-02-22');
    assert.equal((before.pump as Body).refillDueBy, '2027-02-15');
    assert.equal((before.refillStanding as Body).status, 'not-booked');
    assert.equal((before.refillStanding as Body).dueOn, '2027-02-15');

    // No prescription change outside the refill while it waits to be checked (it would be
    // checked against a fill nobody has signed).
    await conflict(
      `/pumps/${pumpId}/prescriptions`,
      nurseToken,
      { ...PRESCRIPTION, programme: { mode: 'simple', doseMcgPerDay: 110 } },
      'INVALID_STATE',
    );
    assert.equal(await count('prescriptions'), 1);
  });

  it('signs only after the review, by someone other than the performer', async () => {
    const sign = `/refills/${refillId}/sign`;
    // The signer says which version they checked; without it nothing is signed.
    await refused(sign, consultantToken, {}, 'version');
    await refused(sign, consultantToken, { note: 'looks fine' }, 'version', /version of the refill/);
    await conflict(sign, consultantToken, { version: refillVersion }, 'INVALID_STATE');

    const reviewUrl = `/refills/${refillId}/review`;
    // The review is written by someone other than the nurse who did the refill.
    await refused(reviewUrl, otherNurseToken, { note: '  ' }, 'note');
    const reviewed = await ok('POST', reviewUrl, otherNurseToken, 200, {
      note: 'Residual drawn twice; programmer residual was stale. Patient well, no withdrawal signs.',
    });
    assert.ok((reviewed.version as number) > refillVersion);
    // The checker opened it before the review: their sign is stale.
    await conflict(sign, consultantToken, { version: refillVersion }, 'STALE_EDIT');
    refillVersion = reviewed.version as number;

    await refused(sign, nurseToken, { version: refillVersion }, 'checkedBy');
    const signed = await ok('POST', sign, consultantToken, 200, { version: refillVersion });
    assert.equal(signed.state, 'signed');
    assert.equal(signed.checkedBy, consultantId);
    await conflict(sign, otherNurseToken, { version: signed.version }, 'INVALID_STATE');
  });

  it("shows the pump's plan, due date and standing, and the refill with who did what", async () => {
    const o = await ok('GET', `/pumps/${pumpId}`, bookingToken, 200);
    const pump = o.pump as Body;
    assert.equal(pump.lastRefillId, refillId);
    assert.equal(pump.alarmOn, '2027-02-22');
    assert.equal(pump.refillDueBy, '2027-02-15');
    assert.deepEqual(o.refillStanding, {
      status: 'not-booked',
      escalated: true,
      dueOn: '2027-02-15',
      daysLeft: 83,
      alarmOn: '2027-02-22',
      daysToAlarm: 90,
      bookedRefillOn: null,
      resumeBy: null,
    });
    assert.equal((o.model as Body).mriRule, 'interrogate-after');
    assert.match((o.model as Body).mriAdvice as string, /Interrogate the pump/);
    assert.deepEqual(o.life, { endOfService: '2033-11-02', replaceBy: '2033-05-02', stopsAfterEri: null });
    assert.equal((o.active as Body).id, prescriptionId);
    assert.equal(o.pending, null);
    // Two weeks after the implant is the first review [review schedule offsets].
    assert.equal((o.nextReview as Body).dueOn, '2026-11-16');
    const rows = o.refills as Body[];
    assert.equal(rows.length, 1);
    assert.deepEqual(
      { state: rows[0]?.state, flagged: rows[0]?.flagged, reviewed: rows[0]?.reviewed },
      { state: 'signed', flagged: true, reviewed: true },
    );

    const v = await ok('GET', `/refills/${refillId}`, bookingToken, 200);
    assert.equal(v.performedByName, 'Test nurse-specialist');
    assert.equal(v.reviewedByName, 'Test nurse-specialist');
    assert.equal(v.checkedByName, 'Test consultant');
    assert.equal(v.needsReview, true);
    assert.equal(v.dueOn, '2027-02-15');
    assert.equal((v.prescription as Body).id, prescriptionId);
    assert.equal(v.previousPrescription, null);
    assert.equal((v.refill as Body).state, 'signed');
  });

  it('books and settles appointments as a booking coordinator', async () => {
    const url = `/pumps/${pumpId}/appointments`;
    await refused(url, bookingToken, { kind: 'refill', onDate: '2026-11-01' }, 'onDate');
    await refused(url, bookingToken, { kind: 'visit', onDate: '2027-02-10' }, 'kind');
    const appt = await ok('POST', url, bookingToken, 201, { kind: 'refill', onDate: '2027-02-10' });
    assert.equal(appt.state, 'booked');
    const o = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
    assert.equal((o.refillStanding as Body).status, 'booked');
    assert.equal((o.refillStanding as Body).bookedRefillOn, '2027-02-10');

    // A booking dated before today was missed but nobody settled it: it does not count as
    // booked, and it hides the later booking too, so the pump is escalated until it is settled.
    const stale = await ok('POST', url, bookingToken, 201, { kind: 'refill', onDate: '2026-11-24' });
    const standingOf = async () => {
      const s = (await ok('GET', `/pumps/${pumpId}`, nurseToken, 200)).refillStanding as Body;
      const list = await ok('GET', '/worklist', nurseToken, 200);
      const entry = (list.entries as Body[]).find((e) => e.pumpId === pumpId);
      return { status: s.status, escalated: s.escalated, worklist: entry?.status };
    };
    assert.deepEqual(await standingOf(), { status: 'booked', escalated: false, worklist: 'booked' });
    t.clock.set('2026-11-25T10:00:00.000Z');
    try {
      assert.deepEqual(await standingOf(), { status: 'not-booked', escalated: true, worklist: 'not-booked' });
      const missed = await ok('POST', `/pump-appointments/${stale.id as string}`, bookingToken, 200, {
        state: 'missed',
      });
      assert.equal(missed.state, 'missed');
      assert.deepEqual(await standingOf(), { status: 'booked', escalated: false, worklist: 'booked' });
    } finally {
      t.clock.set(NOW);
    }

    const apptUrl = `/pump-appointments/${appt.id as string}`;
    await refused(apptUrl, bookingToken, { state: 'attended' }, 'state', /future/);
    const cancelled = await ok('POST', apptUrl, bookingToken, 200, {
      state: 'cancelled',
      note: 'Patient asked to move it',
    });
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(cancelled.note, 'Patient asked to move it');
    await conflict(apptUrl, bookingToken, { state: 'missed' }, 'INVALID_STATE');
    assert.equal(
      ((await ok('GET', `/pumps/${pumpId}`, nurseToken, 200)).refillStanding as Body).status,
      'not-booked',
    );
  });

  it('amends a signed refill with a reason, keeping the record', async () => {
    const url = `/refills/${refillId}/amend`;
    await refused(url, nurseToken, { batch: 'LIO-2213' }, 'reason');
    await refused(url, nurseToken, { reason: 'Typo', batch: 'LIO-2231' }, 'batch', /Nothing differs/);
    const a = await ok('POST', url, nurseToken, 201, {
      reason: 'Batch digits transposed',
      batch: 'LIO-2213',
    });
    assert.deepEqual(a.changes, [{ field: 'batch', old: 'LIO-2231', new: 'LIO-2213' }]);
    const v = await ok('GET', `/refills/${refillId}`, nurseToken, 200);
    assert.equal((v.effective as Body).batch, 'LIO-2213');
    assert.equal((v.refill as Body).batch, 'LIO-2231');
    assert.equal((v.amendments as Body[])[0]?.amendedByName, 'Test nurse-specialist');
  });

  it('shows a pending change beside the active one, and rejects it only with a note', async () => {
    const url = `/pumps/${pumpId}/prescriptions`;
    // The reservoir holds what the last signed refill put in: a new strength only at a refill,
    // even with a reason (hazard H-020).
    await refused(
      url,
      nurseToken,
      { ...PRESCRIPTION, concentrationMcgPerMl: 1000, reason: 'Stronger drug to lengthen the interval' },
      'concentrationMcgPerMl',
      /holds 500 mcg\/mL since the refill on 2026-11-24: a new strength can only be set at a refill/,
    );
    // The same continuous 100 mcg/day with two 20 mcg boluses a day can give 140 mcg a day:
    // +40%, beyond the +30% spinal titration limit, so it needs a reason like any other rise.
    const withBoluses = {
      ...PRESCRIPTION,
      programme: { ...SIMPLE_100, bolus: { doseMcg: 20, maxPerDay: 2, lockoutMinutes: 120 } },
    };
    await refused(url, nurseToken, withBoluses, 'reason', /boluses included, changes by 40%.*30% limit/);
    // Moving that allowance into the continuous dose is the same rise.
    await refused(
      url,
      nurseToken,
      { ...PRESCRIPTION, programme: { mode: 'simple', doseMcgPerDay: 140 } },
      'reason',
      /daily dose changes by 40%.*30% limit/,
    );
    assert.equal(await count('prescriptions'), 1);

    const change = await ok('POST', url, nurseToken, 201, {
      ...PRESCRIPTION,
      programme: { mode: 'simple', doseMcgPerDay: 120 },
    });
    assert.equal(change.comparedDoseMcgPerDay, 100);
    assert.equal(change.changePercent, 20);
    assert.equal(change.withinLimit, true);
    const o = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
    const pending = o.pending as Body;
    assert.equal(pending.id, change.id);
    assert.equal((pending.previous as Body).id, prescriptionId);

    const reject = `/prescriptions/${change.id as string}/reject`;
    await refused(reject, consultantToken, {}, 'note');
    const rejected = await ok('POST', reject, consultantToken, 200, { note: 'Wait for the 6-week review' });
    assert.equal(rejected.state, 'rejected');
    assert.equal(rejected.decisionNote, 'Wait for the 6-week review');
    assert.equal(rejected.decidedAt, t.clock.now().toISOString());
    const after = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
    assert.equal(after.pending, null);
    assert.equal((after.active as Body).id, prescriptionId);
  });

  it('records pump events; an explant ends the pump once a second clinician confirms it', async () => {
    const url = `/pumps/${pumpId}/events`;
    await refused(url, nurseToken, { kind: 'revision', occurredOn: '2026-11-20' }, 'note');
    await refused(url, nurseToken, { kind: 'mri', occurredOn: '2026-10-01' }, 'occurredOn');
    // A replacement is recorded by registering the new pump (see below), never on its own: a
    // pump ended without its successor would drop the patient from the worklist (H-017).
    await refused(
      url,
      nurseToken,
      { kind: 'replacement', occurredOn: '2026-11-20' },
      'kind',
      /Register the new pump and say which pump it replaces/,
    );
    const mri = await ok('POST', url, nurseToken, 201, { kind: 'mri', occurredOn: '2026-11-20' });
    assert.equal(mri.kind, 'mri');
    // The first ERI alarm sets the date the pump must be replaced from; a later one never
    // moves it later, an earlier one (entered late) moves it earlier.
    await ok('POST', url, nurseToken, 201, { kind: 'eri', occurredOn: '2026-11-10' });
    await ok('POST', url, nurseToken, 201, { kind: 'eri', occurredOn: '2026-11-21' });
    let o = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
    assert.equal((o.pump as Body).eriOn, '2026-11-10');
    await ok('POST', url, nurseToken, 201, { kind: 'eri', occurredOn: '2026-11-05' });
    o = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
    assert.equal((o.pump as Body).eriOn, '2026-11-05');
    assert.equal((o.pump as Body).state, 'implanted');
    assert.deepEqual((o.events as Body[]).map((e) => e.kind).sort(), ['eri', 'eri', 'eri', 'mri']);
    // An explant is a request to end the pump, never a plain event: one person's record does not
    // take a pump off the worklist (H-035).
    await refused(
      url,
      nurseToken,
      { kind: 'explant', occurredOn: '2026-11-24' },
      'kind',
      /request to end the pump/,
    );
    const request = await ok('POST', `/pumps/${pumpId}/end-requests`, nurseToken, 201, {
      kind: 'explant',
      endedOn: '2026-11-24',
      reason: 'Removed for infection',
    });
    assert.equal(((await ok('GET', `/pumps/${pumpId}`, nurseToken, 200)).pump as Body).state, 'implanted');
    await refused(`/pump-end-requests/${request.id as string}/confirm`, nurseToken, {}, 'checkedBy');
    await ok('POST', `/pump-end-requests/${request.id as string}/confirm`, consultantToken, 200, {});
    await conflict(url, nurseToken, { kind: 'mri', occurredOn: '2026-11-24' }, 'INVALID_STATE');
    await conflict(`/pumps/${pumpId}/refills`, nurseToken, REFILL, 'INVALID_STATE');
  });

  it('changes strength and programme at a refill: pending until the refill is signed, then active', async () => {
    const second = await ok('POST', `/patients/${patientId}/pumps`, nurseToken, 201, {
      ...PUMP,
      serialNumber: 'NGP999999H',
    });
    const id = second.id as string;
    secondPumpId = id;
    const first = await ok('POST', `/pumps/${id}/prescriptions`, consultantToken, 201, FIRST_PRESCRIPTION);
    await ok('POST', `/prescriptions/${first.id as string}/confirm`, nurseToken, 200, {});
    // Booked for today: the refill done today attends it when it is signed.
    const booked = await ok('POST', `/pumps/${id}/appointments`, bookingToken, 201, {
      kind: 'refill',
      onDate: '2026-11-24',
    });
    const refill = await ok('POST', `/pumps/${id}/refills`, nurseToken, 201, {
      ...REFILL,
      withdrawnMl: 5,
      concentrationMcgPerMl: 1000,
      newPrescription: { programme: { mode: 'simple', doseMcgPerDay: 120 }, phase: 'titration' },
    });
    assert.equal(refill.flagged, false);
    // 120 mcg/day at 1000 mcg/mL is 0.12 mL/day: 18 mL lasts 150 days, alarm 23 April 2027.
    assert.equal(refill.alarmOn, '2027-04-23');
    const o = await ok('GET', `/pumps/${id}`, nurseToken, 200);
    assert.equal((o.active as Body).id, first.id);
    assert.equal((o.pending as Body).refillId, refill.id);
    // The pump had no plan: the unsigned fill's dates count already, the booking is not settled.
    assert.equal((o.pump as Body).alarmOn, '2027-04-23');
    assert.equal((o.pump as Body).lastRefillId, null);
    assert.equal((o.appointments as Body[])[0]?.state, 'booked');
    // A change made at a refill is confirmed by signing the refill, not on its own.
    await conflict(
      `/prescriptions/${(o.pending as Body).id as string}/confirm`,
      consultantToken,
      {},
      'INVALID_STATE',
    );

    await ok('POST', `/refills/${refill.id as string}/sign`, consultantToken, 200, {
      version: refill.version,
    });
    const v = await ok('GET', `/refills/${refill.id as string}`, nurseToken, 200);
    assert.equal((v.prescription as Body).state, 'active');
    assert.equal((v.prescription as Body).concentrationMcgPerMl, 1000);
    assert.equal((v.previousPrescription as Body).id, first.id);
    assert.equal(v.needsReview, false);
    const after = await ok('GET', `/pumps/${id}`, nurseToken, 200);
    assert.equal((after.active as Body).concentrationMcgPerMl, 1000);
    assert.equal((after.pump as Body).alarmOn, '2027-04-23');
    assert.equal((after.pump as Body).lastRefillId, refill.id);
    assert.deepEqual(
      (after.appointments as Body[]).map((a) => [a.id, a.state]),
      [[booked.id, 'attended']],
    );
    assert.equal((after.refillStanding as Body).bookedRefillOn, null);
    assert.equal((after.refillStanding as Body).status, 'not-booked');
  });

  it('keeps the sooner plan until a refill is signed, then settles the bookings of the cycle it completes', async () => {
    const id = secondPumpId;
    const url = `/pumps/${id}/appointments`;
    const book = async (onDate: string) =>
      (await ok('POST', url, bookingToken, 201, { kind: 'refill', onDate })).id as string;
    // The last fill (24 November) alarms on 23 April 2027, due by 16 April.
    const missed = await book('2026-11-25');
    const onTheDay = await book('2026-11-27');
    const early = await book('2027-04-10');
    const nextCycle = await book('2027-05-01');
    t.clock.set('2026-11-27T10:00:00.000Z');
    try {
      // 3 days at 0.12 mL a day leaves 19.64 mL; a full 20 mL fill alarms 150 days on.
      const refill = await ok('POST', `/pumps/${id}/refills`, nurseToken, 201, {
        ...REFILL,
        performedOn: '2026-11-27',
        expectedResidualMl: 19.64,
        withdrawnMl: 19.6,
        concentrationMcgPerMl: 1000,
      });
      assert.equal(refill.alarmOn, '2027-04-26');
      assert.equal(refill.dueBy, '2027-04-19');
      // Not signed yet: the current plan runs out sooner and stays; nothing is settled.
      const before = await ok('GET', `/pumps/${id}`, nurseToken, 200);
      assert.equal((before.pump as Body).alarmOn, '2027-04-23');
      assert.equal((before.pump as Body).refillDueBy, '2027-04-16');
      const cycle = [missed, onTheDay, early, nextCycle];
      assert.deepEqual(
        (before.appointments as Body[]).filter((a) => cycle.includes(a.id as string)).map((a) => a.state),
        ['booked', 'booked', 'booked', 'booked'],
      );

      await ok('POST', `/refills/${refill.id as string}/sign`, consultantToken, 200, {
        version: refill.version,
      });
      const after = await ok('GET', `/pumps/${id}`, nurseToken, 200);
      assert.equal((after.pump as Body).alarmOn, '2027-04-26');
      assert.equal((after.pump as Body).refillDueBy, '2027-04-19');
      const byId = new Map((after.appointments as Body[]).map((a) => [a.id, a]));
      // Before the refill day: missed; on it: attended; after it up to the old due date: done
      // early, so cancelled with a note; a booking past the old due date is the next cycle's.
      assert.equal(byId.get(missed)?.state, 'missed');
      assert.equal(byId.get(onTheDay)?.state, 'attended');
      assert.equal(byId.get(early)?.state, 'cancelled');
      assert.equal(byId.get(early)?.note, 'Refilled earlier, on 27 November 2026');
      assert.equal(byId.get(nextCycle)?.state, 'booked');
      assert.equal((after.refillStanding as Body).bookedRefillOn, '2027-05-01');
      assert.equal((after.refillStanding as Body).status, 'booked-late');
    } finally {
      t.clock.set(NOW);
    }
  });

  it("compares a first prescription with the starting dose from the patient's positive test dose", async () => {
    // Tom's demo test dose: 75 mcg relieved spasticity for 4 hours, so the starting dose is
    // twice that, 150 mcg/day [LABEL-SKY], [CHEO]; the demo runs it through the services.
    const pat = await addTestUser(t, 'physiotherapist', 'pat');
    const tom = await createPatient(
      { db: t.deps.database.db, clock: t.clock, timeZone: t.deps.config.timeZone },
      actorOf(nurse, null),
      {
        nhsNumber: '9434765919',
        givenName: 'Tom',
        familyName: 'Jones',
        dateOfBirth: '1970-05-02',
        sex: 'male',
      },
    );
    await seedDemoTestDoses(
      t.deps,
      { nurse: actorOf(nurse, null), consultant: actorOf(consultant, null), physio: actorOf(pat, null) },
      [tom.id],
    );
    const test = await latestPositiveTestDose(t.deps.database.db, tom.id);
    assert.deepEqual(
      { doseMcg: test?.doseMcg, effectHours: test?.effectHours },
      { doseMcg: 75, effectHours: 4 },
      'the demo test dose this test is worked out from',
    );
    const pump = await ok('POST', `/patients/${tom.id}/pumps`, nurseToken, 201, {
      ...PUMP,
      serialNumber: 'NGP444444H',
      implantedOn: '2026-11-20',
    });
    tomId = tom.id;
    tomPumpId = pump.id as string;
    const url = `/pumps/${tomPumpId}/prescriptions`;
    const prescriptionsBefore = await count('prescriptions');
    const over =
      /starting dose from the test dose \(75 mcg\) is 150 mcg\/day; this programme can give 160 mcg a day/;
    await refused(
      url,
      nurseToken,
      { ...PRESCRIPTION, programme: { mode: 'simple', doseMcgPerDay: 160 } },
      'reason',
      over,
    );
    // Boluses count: 100 mcg/day and two 30 mcg boluses can give 160 mcg a day.
    await refused(
      url,
      nurseToken,
      {
        ...PRESCRIPTION,
        programme: { ...SIMPLE_100, bolus: { doseMcg: 30, maxPerDay: 2, lockoutMinutes: 240 } },
      },
      'reason',
      over,
    );
    assert.equal(await count('prescriptions'), prescriptionsBefore);

    const atStart = await ok('POST', url, nurseToken, 201, {
      ...PRESCRIPTION,
      programme: { mode: 'simple', doseMcgPerDay: 150 },
    });
    assert.equal(atStart.reason, null);
    assert.equal(atStart.comparedDoseMcgPerDay, 150);
    assert.equal(atStart.changePercent, 0);
    assert.equal(atStart.withinLimit, true);
  });

  it('records a replacement by registering the new pump, which ends the old one', async () => {
    // Tom's pump (implanted 20 November, first prescription waiting) is replaced today.
    const url = `/patients/${tomId}/pumps`;
    const NEW_PUMP = { ...PUMP, serialNumber: 'NGP121212H', implantedOn: '2026-11-24' };
    // Only one of this patient's pumps still implanted can be replaced.
    await refused(url, nurseToken, { ...NEW_PUMP, replacesPumpId: secondPumpId }, 'replacesPumpId');
    await refused(url, nurseToken, { ...NEW_PUMP, replacesPumpId: pumpId }, 'replacesPumpId');
    await refused(url, nurseToken, { ...NEW_PUMP, replacesPumpId: 'nope' }, 'replacesPumpId');
    await refused(
      url,
      nurseToken,
      { ...NEW_PUMP, implantedOn: '2026-11-19', replacesPumpId: tomPumpId },
      'implantedOn',
      /before the pump it replaces/,
    );
    const pumpsBefore = await count('pumps');

    const created = await ok('POST', url, nurseToken, 201, { ...NEW_PUMP, replacesPumpId: tomPumpId });
    const newId = created.id as string;
    assert.equal(created.state, 'implanted');
    assert.equal(created.replacesPumpId, tomPumpId);
    assert.equal(await count('pumps'), pumpsBefore + 1);

    const old = await ok('GET', `/pumps/${tomPumpId}`, nurseToken, 200);
    assert.equal((old.pump as Body).state, 'replaced');
    assert.equal((old.pump as Body).endedOn, '2026-11-24');
    assert.deepEqual(
      (old.events as Body[]).map((e) => [e.kind, e.occurredOn, e.note]),
      [['replacement', '2026-11-24', 'Replaced by NGP121212H']],
    );
    // The old pump takes no more events or refills, and cannot be replaced twice.
    await conflict(
      `/pumps/${tomPumpId}/events`,
      nurseToken,
      { kind: 'mri', occurredOn: '2026-11-24' },
      'INVALID_STATE',
    );
    await conflict(`/pumps/${tomPumpId}/refills`, nurseToken, REFILL, 'INVALID_STATE');
    await refused(
      url,
      nurseToken,
      { ...NEW_PUMP, serialNumber: 'NGP131313H', replacesPumpId: tomPumpId },
      'replacesPumpId',
    );

    // The new pump is on the worklist with no fill yet; the old one has left it.
    const o = await ok('GET', `/pumps/${newId}`, nurseToken, 200);
    assert.equal((o.pump as Body).replacesPumpId, tomPumpId);
    assert.equal((o.refillStanding as Body).status, 'no-plan');
    const list = await ok('GET', '/worklist', nurseToken, 200);
    const listed = (list.entries as Body[]).map((e) => e.pumpId);
    assert.ok(listed.includes(newId), 'the new pump is on the worklist');
    assert.ok(!listed.includes(tomPumpId), 'the replaced pump is not on the worklist');
    assert.deepEqual(
      ((await ok('GET', url, nurseToken, 200)).pumps as Body[]).map((p) => [p.id, p.state]).sort(),
      [
        [newId, 'implanted'],
        [tomPumpId, 'replaced'],
      ].sort(),
    );

    // A replacement event posted on its own is refused, and nothing is recorded.
    await refused(
      `/pumps/${newId}/events`,
      nurseToken,
      { kind: 'replacement', occurredOn: '2026-11-24' },
      'kind',
      /Register the new pump/,
    );
    assert.deepEqual((await ok('GET', `/pumps/${newId}`, nurseToken, 200)).events, []);
  });

  it('guards every operation by permission and answers 404 for unknown records', async () => {
    assert.equal((await api('GET', `/pumps/${pumpId}`, managerToken)).statusCode, 403);
    assert.equal((await api('POST', `/patients/${patientId}/pumps`, bookingToken, PUMP)).statusCode, 403);
    assert.equal(
      (await api('POST', `/pumps/${pumpId}/prescriptions`, bookingToken, PRESCRIPTION)).statusCode,
      403,
    );
    assert.equal(
      (await api('POST', `/prescriptions/${prescriptionId}/confirm`, bookingToken, {})).statusCode,
      403,
    );
    assert.equal((await api('POST', `/refills/${refillId}/sign`, bookingToken, {})).statusCode, 403);
    assert.equal((await api('GET', '/pumps/nope', nurseToken)).statusCode, 404);
    assert.equal((await api('GET', '/refills/nope', nurseToken)).statusCode, 404);
    assert.equal((await api('GET', '/patients/nobody/pumps', nurseToken)).statusCode, 404);
    assert.equal((await api('POST', '/prescriptions/nope/confirm', consultantToken, {})).statusCode, 404);
    assert.equal(
      (await api('POST', '/pump-appointments/nope', bookingToken, { state: 'missed' })).statusCode,
      404,
    );
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/pumps/${pumpId}` })).statusCode, 401);
  });

  it('describes the new operations in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json<{ paths: Record<string, Record<string, unknown>> }>();
    const expected: [string, string][] = [
      ['/api/v1/patients/{patientId}/pumps', 'get'],
      ['/api/v1/patients/{patientId}/pumps', 'post'],
      ['/api/v1/pumps/{pumpId}', 'get'],
      ['/api/v1/pumps/{pumpId}/events', 'post'],
      ['/api/v1/pumps/{pumpId}/prescriptions', 'post'],
      ['/api/v1/prescriptions/{id}/confirm', 'post'],
      ['/api/v1/prescriptions/{id}/reject', 'post'],
      ['/api/v1/pumps/{pumpId}/refills', 'post'],
      ['/api/v1/refills/{id}', 'get'],
      ['/api/v1/refills/{id}/review', 'post'],
      ['/api/v1/refills/{id}/sign', 'post'],
      ['/api/v1/refills/{id}/amend', 'post'],
      ['/api/v1/pumps/{pumpId}/appointments', 'post'],
      ['/api/v1/pump-appointments/{id}', 'post'],
    ];
    for (const [path, method] of expected) {
      assert.ok(doc.paths[path]?.[method], `${method} ${path} missing: ${Object.keys(doc.paths).join(', ')}`);
    }
    // Numbers are documented as numbers, not as the strings forms may also send.
    const refillPost = JSON.stringify(doc.paths['/api/v1/pumps/{pumpId}/refills']?.post);
    assert.match(refillPost, /"instilledMl":\{"type":"number"/);
    assert.match(refillPost, /newPrescription/);
  });
});
