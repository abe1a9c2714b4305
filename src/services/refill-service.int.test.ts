import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withExplantPlan } from '../../test/support/bridging-plan-fixtures.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DEFAULT_PUMP_RULES } from '../domain/pump-rules.ts';
import { AppError } from './app-error.ts';
import { type Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import { confirmPrescription, proposePrescription, rejectPrescription } from './prescription-service.ts';
import { registerPump } from './pump-service.ts';
import { bookPumpAppointment, updatePumpAppointment } from './pump-appointment-service.ts';
import { pumpOverview } from './pump-overview.ts';
import { recordRefill } from './refill-service.ts';
import { amendRefill } from './refill-amendment-service.ts';
import { type RefillServiceDeps } from './refill-common.ts';
import { reviewRefill } from './refill-review-service.ts';
import { signRefill } from './refill-sign-service.ts';
import { refillView } from './refill-view-service.ts';
import { confirmEndRequest } from './pump-end-decisions.ts';
import { requestPumpEnd } from './pump-end-requests.ts';
import { addUser } from './user-service.ts';
import { refillWorklist } from './worklist-service.ts';
import { sealAndVerify } from '../../test/support/audit-chain.ts';

const PUMP = {
  modelId: 'synchromed-ii',
  reservoirMl: 20,
  serialNumber: 'NGP123456H',
  implantedOn: '2026-09-01',
  surgeon: 'Mr A Surgeon',
  alarmMl: 2,
  catheterModel: '8709SC',
  catheterTipLevel: 'T10',
  origin: 'spinal',
};

const SIMPLE_150 = {
  concentrationMcgPerMl: 500,
  phase: 'titration',
  programme: { mode: 'simple', doseMcgPerDay: 150, schedules: [], bolus: null },
};

/** Worked example 11's shape: 6.0 mL expected, 4.5 mL drawn back, 1.5 mL short on a 20 mL pump. */
const REFILL = {
  performedOn: '2026-11-24',
  expectedResidualMl: '6.0',
  withdrawnMl: '4.5',
  concentrationMcgPerMl: '500',
  batch: 'LB2026-117',
  expiresOn: '2027-06-30',
  instilledMl: '20',
  alarmMl: '2',
  complications: [],
};

for (const dialect of DIALECTS) {
  describe(`pumps, prescriptions and refills on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: RefillServiceDeps;
    const clock = new TestClock('2026-11-20T10:00:00.000Z');
    let nurse: Actor;
    let nurse2: Actor;
    let consultant: Actor;
    let patientId = '';
    let pumpId = '';

    const actor = async (username: string, role: 'nurse-specialist' | 'consultant'): Promise<Actor> => {
      const u = await addUser({ db: database.handle.db, clock }, null, {
        username,
        displayName: username,
        role,
        password: 'a-long-test-password',
      });
      return { userId: u.id, username, role, requestId: null };
    };

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = {
        db,
        clock,
        config: {
          timeZone: 'Europe/London',
          pumpRules: DEFAULT_PUMP_RULES,
          closedDays: [],
          service: { adviceLine: { phone: '0113 000 0000', hours: 'Monday to Friday, 8am to 4pm' } },
        },
      };
      nurse = await actor('nina', 'nurse-specialist');
      nurse2 = await actor('noel', 'nurse-specialist');
      consultant = await actor('carla', 'consultant');
      patientId = (
        await createPatient({ db, clock, timeZone: 'Europe/London' }, nurse, {
          nhsNumber: '4857773457',
          givenName: 'Ann',
          familyName: 'Smith',
          dateOfBirth: '1961-03-14',
          sex: 'female',
        })
      ).id;
    });
    after(async () => {
      await database.dispose();
    });

    it('registers a pump and refuses a second of the same model and serial, naming the field', async () => {
      const pump = await registerPump(deps, nurse, patientId, PUMP);
      pumpId = pump.id;
      assert.equal(pump.state, 'implanted');
      assert.equal(pump.alarmMl, 2);
      await rejects(registerPump(deps, nurse, patientId, PUMP), 'DUPLICATE_PUMP_SERIAL', 'serialNumber');
      await rejects(
        registerPump(deps, nurse, patientId, { ...PUMP, serialNumber: 'X2', alarmMl: 25 }),
        'VALIDATION_FAILED',
        'alarmMl',
      );
      await rejects(
        registerPump(deps, nurse, patientId, { ...PUMP, serialNumber: 'X3', reservoirMl: 30 }),
        'VALIDATION_FAILED',
        'reservoirMl',
      );
      assert.equal(await countRows(deps.db, 'pumps'), 1);
    });

    it('a pump with no fill recorded is on the worklist, escalated', async () => {
      const list = await refillWorklist(deps);
      assert.equal(list.entries.length, 1);
      assert.equal(list.entries[0]?.standing.status, 'no-plan');
      assert.equal(list.escalated, 1);
    });

    it('a prescription counts only once a different clinician confirms it', async () => {
      // No positive test dose is recorded for this patient, so the starting dose needs a reason.
      await rejects(proposePrescription(deps, nurse, pumpId, SIMPLE_150), 'VALIDATION_FAILED', 'reason');
      const p = await proposePrescription(deps, nurse, pumpId, {
        ...SIMPLE_150,
        reason: 'Test dose given elsewhere',
      });
      assert.equal(p.state, 'pending');
      assert.equal(p.planningDoseMcgPerDay, 150);
      await rejects(proposePrescription(deps, nurse, pumpId, SIMPLE_150), 'INVALID_STATE');
      const proposer = await rejects(
        confirmPrescription(deps, nurse, p.id, {}),
        'VALIDATION_FAILED',
        'checkedBy',
      );
      assert.equal(proposer.reason, 'CHECKER_IS_PROPOSER');
      const confirmed = await confirmPrescription(deps, consultant, p.id, {});
      assert.equal(confirmed.state, 'active');
      assert.equal(confirmed.decidedBy, consultant.userId);
    });

    it('refuses mg typed for mcg and a flex day with a gap, naming the fields', async () => {
      const err = await rejects(
        proposePrescription(deps, nurse, pumpId, { ...SIMPLE_150, concentrationMcgPerMl: 2 }),
        'VALIDATION_FAILED',
        'concentrationMcgPerMl',
      );
      assert.match(err.fieldErrors[0]?.message ?? '', /mg\/mL/);
      const dose = await rejects(
        proposePrescription(deps, nurse, pumpId, {
          ...SIMPLE_150,
          programme: { mode: 'simple', doseMcgPerDay: 0.4, schedules: [], bolus: null },
        }),
        'VALIDATION_FAILED',
        'programme.doseMcgPerDay',
      );
      assert.match(dose.fieldErrors[0]?.message ?? '', /milligrams/);
      await rejects(
        proposePrescription(deps, nurse, pumpId, {
          ...SIMPLE_150,
          programme: {
            mode: 'flex',
            schedules: [
              {
                weekdays: [1, 2, 3, 4, 5, 6, 7],
                steps: [
                  { start: '22:00', end: '06:00', rateMcgPerHour: 8 },
                  { start: '07:00', end: '22:00', rateMcgPerHour: 6 },
                ],
              },
            ],
          },
        }),
        'VALIDATION_FAILED',
        'programme.schedules.0.steps',
      );
      assert.equal(await countRows(deps.db, 'prescriptions'), 1);
    });

    it('a rise beyond the titration limit needs a reason; the change is shown against the dose 24 h ago', async () => {
      clock.set('2026-11-22T10:00:00.000Z');
      const steep = { ...SIMPLE_150, programme: { ...SIMPLE_150.programme, doseMcgPerDay: 200 } };
      await rejects(proposePrescription(deps, nurse, pumpId, steep), 'VALIDATION_FAILED', 'reason');
      const p = await proposePrescription(deps, nurse, pumpId, {
        ...steep,
        reason: 'Severe spasms at night',
      });
      assert.equal(p.comparedDoseMcgPerDay, 150);
      assert.equal(p.changePercent, 33.33);
      assert.equal(p.limitPercent, 30);
      assert.equal(p.withinLimit, false);
      await rejects(rejectPrescription(deps, consultant, p.id, {}), 'VALIDATION_FAILED', 'note');
      const rejected = await rejectPrescription(deps, consultant, p.id, { note: 'Go up by 30% at most' });
      assert.equal(rejected.state, 'rejected');
    });

    it('records a refill with a 1.5 mL discrepancy: flagged, reviewed, then signed by someone else', async () => {
      clock.set('2026-11-24T10:00:00.000Z');
      await rejects(
        recordRefill(deps, nurse, pumpId, { ...REFILL, instilledMl: '25' }),
        'VALIDATION_FAILED',
        'instilledMl',
      );
      await rejects(
        recordRefill(deps, nurse, pumpId, { ...REFILL, concentrationMcgPerMl: '2000' }),
        'VALIDATION_FAILED',
        'concentrationMcgPerMl',
      );
      await rejects(
        recordRefill(deps, nurse, pumpId, { ...REFILL, expiresOn: '2026-11-01' }),
        'VALIDATION_FAILED',
        'expiresOn',
      );
      assert.equal(await countRows(deps.db, 'refills'), 0);
      const appt = await bookPumpAppointment(deps, nurse, pumpId, { kind: 'refill', onDate: '2026-11-24' });
      const refill = await recordRefill(deps, nurse, pumpId, REFILL);
      assert.equal(refill.discrepancyMl, -1.5);
      assert.equal(refill.discrepancyPercent, -25);
      assert.equal(refill.flagged, true);
      // 20 mL at 150 mcg/day of 500 mcg/mL: 0.3 mL/day, (20 − 2) ÷ 0.3 = 60 days to the alarm.
      assert.equal(refill.alarmOn, '2027-01-23');
      assert.equal(refill.dueBy, '2027-01-16');
      assert.equal(refill.limitedBy, 'alarm');
      assert.match(refill.patientSummary ?? '', /due by/);
      assert.match(refill.patientSummary ?? '', /Advice line: 0113 000 0000, Monday to Friday, 8am to 4pm\./);
      const second = await rejects(recordRefill(deps, nurse, pumpId, REFILL), 'INVALID_STATE');
      assert.equal(second.reason, 'PREVIOUS_REFILL_UNSIGNED');
      const early = await rejects(
        signRefill(deps, consultant, refill.id, { version: refill.version }),
        'INVALID_STATE',
      );
      assert.equal(early.reason, 'REFILL_REVIEW_NEEDED');
      // The review is written by someone other than the nurse who did the refill.
      await rejects(reviewRefill(deps, consultant, refill.id, { note: '' }), 'VALIDATION_FAILED', 'note');
      const reviewed = await reviewRefill(deps, consultant, refill.id, {
        note: 'Pump interrogated: no pocket swelling; catheter access port not used. Recheck at next refill.',
      });
      await rejects(
        signRefill(deps, nurse, refill.id, { version: reviewed.version }),
        'VALIDATION_FAILED',
        'checkedBy',
      );
      await rejects(signRefill(deps, nurse2, refill.id, { version: reviewed.version - 1 }), 'STALE_EDIT');
      const signed = await signRefill(deps, nurse2, refill.id, { version: reviewed.version });
      assert.equal(signed.state, 'signed');
      assert.equal(signed.checkedBy, nurse2.userId);
      const overview = await pumpOverview(deps, consultant, pumpId);
      assert.equal(overview.pump.refillDueBy, '2027-01-16');
      assert.equal(overview.appointments.find((a) => a.id === appt.id)?.state, 'attended');
      // 16 January 2027 is a Saturday: due on the Friday before.
      assert.equal(overview.standing.dueOn, '2027-01-15');
      assert.equal(overview.standing.status, 'not-booked');
    });

    // On SQLite every write transaction starts with BEGIN IMMEDIATE, so writers queue; two pools in
    // one process would block each other's event loop instead. PostgreSQL runs them side by side.
    it(
      'two people recording a refill of the same pump at once: exactly one is kept',
      { skip: dialect === 'sqlite' },
      async () => {
        // A second connection pool, so the two transactions really overlap.
        const other = database.openAnother();
        const second = { ...deps, db: other.db };
        const [pumpB] = [await registerPump(deps, nurse, patientId, { ...PUMP, serialNumber: 'NGP777777H' })];
        const p = await proposePrescription(deps, nurse, pumpB.id, {
          ...SIMPLE_150,
          reason: 'Test dose elsewhere',
        });
        await confirmPrescription(deps, consultant, p.id, {});
        const results = await Promise.allSettled([
          recordRefill(deps, nurse, pumpB.id, REFILL),
          recordRefill(second, nurse2, pumpB.id, REFILL),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const refused = results.find((r) => r.status === 'rejected');
        assert.ok(refused?.status === 'rejected' && refused.reason instanceof AppError);
        assert.equal(refused.reason.code, 'INVALID_STATE');
        const rows = await deps.db
          .selectFrom('refills')
          .select('id')
          .where('pump_id', '=', pumpB.id)
          .execute();
        assert.equal(rows.length, 1);
        await other.close();
        const end = await requestPumpEnd(deps, consultant, pumpB.id, {
          kind: 'explant',
          endedOn: '2026-11-24',
          reason: 'Test pump removed',
        });
        await withExplantPlan(deps, consultant, pumpB.id);
        await confirmEndRequest(deps, nurse, end.id, {});
      },
    );

    it('signed refills are amended, never edited, and the view keeps old and new', async () => {
      const [refill] = (await pumpOverview(deps, consultant, pumpId)).refills;
      assert.ok(refill);
      await rejects(
        amendRefill(deps, nurse, refill.id, { batch: 'LB2026-118' }),
        'VALIDATION_FAILED',
        'reason',
      );
      await amendRefill(deps, nurse, refill.id, {
        reason: 'Batch misread from the label',
        batch: 'LB2026-118',
      });
      const view = await refillView(deps, consultant, refill.id);
      assert.equal(view.refill.batch, 'LB2026-117');
      assert.equal(view.effective.batch, 'LB2026-118');
      assert.deepEqual(view.amendments[0]?.changes, [
        { field: 'batch', old: 'LB2026-117', new: 'LB2026-118' },
      ]);
    });

    it('a confirmed dose change between refills moves the alarm and due dates earlier', async () => {
      clock.set('2026-12-04T10:00:00.000Z');
      const p = await proposePrescription(deps, nurse, pumpId, {
        ...SIMPLE_150,
        phase: 'maintenance',
        programme: { ...SIMPLE_150.programme, doseMcgPerDay: 180 },
      });
      await confirmPrescription(deps, consultant, p.id, {});
      const overview = await pumpOverview(deps, consultant, pumpId);
      // 10 days at 0.3 mL/day leave 17 mL; then 0.36 mL/day: (17 − 2) ÷ 0.36 = 41.7 → 41 days after 4 December.
      assert.equal(overview.pump.alarmOn, '2027-01-14');
      assert.equal(overview.pump.refillDueBy, '2027-01-07');
    });

    it('the worklist shows bookings, and a missed appointment escalates the pump again', async () => {
      const appt = await bookPumpAppointment(deps, nurse, pumpId, { kind: 'refill', onDate: '2027-01-05' });
      let list = await refillWorklist(deps);
      assert.equal(list.entries[0]?.standing.status, 'booked');
      const late = await bookPumpAppointment(deps, nurse, pumpId, { kind: 'review', onDate: '2026-12-10' });
      assert.equal(late.state, 'booked');
      await updatePumpAppointment(deps, nurse, appt.id, { state: 'cancelled', note: 'Patient in hospital' });
      list = await refillWorklist(deps);
      assert.equal(list.entries[0]?.standing.status, 'not-booked');
      assert.equal(list.escalated, 1);
      await rejects(
        bookPumpAppointment(deps, nurse, pumpId, { kind: 'refill', onDate: '2026-12-01' }),
        'VALIDATION_FAILED',
        'onDate',
      );
    });

    it('an explanted pump leaves the worklist; the audit chain is intact', async () => {
      const end = await requestPumpEnd(deps, consultant, pumpId, {
        kind: 'explant',
        endedOn: '2026-12-04',
        reason: 'Infection',
      });
      await withExplantPlan(deps, consultant, pumpId);
      await confirmEndRequest(deps, nurse, end.id, {});
      assert.equal((await refillWorklist(deps)).entries.length, 0);
      await rejects(recordRefill(deps, nurse, pumpId, REFILL), 'INVALID_STATE');
      const verification = await sealAndVerify(deps.db);
      assert.equal(verification.problem, null);
    });
  });
}
