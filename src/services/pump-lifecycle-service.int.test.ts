import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withExplantPlan } from '../../test/support/bridging-plan-fixtures.ts';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../storage/database.ts';
import { AppError } from './app-error.ts';
import { type Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import { confirmPrescription, proposePrescription } from './prescription-service.ts';
import { confirmEndRequest, rejectEndRequest } from './pump-end-decisions.ts';
import { requestEndCorrection, requestPumpEnd } from './pump-end-requests.ts';
import { recordPumpEvent, registerPump } from './pump-service.ts';
import { bookPumpAppointment } from './pump-appointment-service.ts';
import { pumpOverview } from './pump-overview.ts';
import { recordRefill } from './refill-service.ts';
import { type RefillServiceDeps } from './refill-common.ts';
import { signRefill } from './refill-sign-service.ts';
import { addUser } from './user-service.ts';
import { refillWorklist } from './worklist-service.ts';
import { sealAndVerify } from '../../test/support/audit-chain.ts';

/** Today is Friday 20 November 2026 (GMT) unless a test moves the clock, and puts it back. */
const NOW = '2026-11-20T10:00:00.000Z';

const PUMP = {
  modelId: 'synchromed-ii',
  reservoirMl: 20,
  implantedOn: '2026-09-01',
  surgeon: 'Mr A Surgeon',
  alarmMl: 2,
  origin: 'spinal',
};

const SIMPLE_150 = {
  concentrationMcgPerMl: 500,
  phase: 'titration',
  reason: 'Test dose given at another centre',
  programme: { mode: 'simple', doseMcgPerDay: 150, schedules: [], bolus: null },
};

/** 20 mL at 150 mcg/day of 500 mcg/mL: 0.3 mL/day, (20 − 2) ÷ 0.3 = 60 days to the alarm. */
const refillOn = (performedOn: string) => ({
  performedOn,
  expectedResidualMl: '4.0',
  withdrawnMl: '4.0',
  concentrationMcgPerMl: '500',
  batch: 'LB2026-117',
  expiresOn: '2027-06-30',
  instilledMl: '20',
  alarmMl: '2',
  complications: [],
});

for (const dialect of DIALECTS) {
  describe(`ending a pump takes two clinicians on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: RefillServiceDeps;
    const clock = new TestClock(NOW);
    let nina: Actor;
    let noel: Actor;
    let carla: Actor;
    let bea: Actor;
    let patientId = '';
    let serial = 0;

    const actor = async (username: string, role: Actor['role']): Promise<Actor> => {
      const u = await addUser({ db: database.handle.db, clock }, null, {
        username,
        displayName: username,
        role: role as 'consultant',
        password: 'a-long-test-password',
      });
      return { userId: u.id, username, role, requestId: null };
    };
    const newPump = async () => {
      serial += 1;
      return registerPump(deps, nina, patientId, { ...PUMP, serialNumber: `NGP${String(serial)}H` });
    };
    const onList = async (pumpId: string) =>
      (await refillWorklist(deps)).entries.find((e) => e.pumpId === pumpId);
    const count = (table: keyof Database) => countRows(deps.db, table);
    const audited = async (action: string) =>
      Number(
        (
          await deps.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll<string | number>().as('n'))
            .where('action', '=', action)
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = {
        db,
        clock,
        // The service's defaults: Europe/London, the default pump rules, no extra closed days.
        config: loadConfig({}),
      };
      nina = await actor('nina', 'nurse-specialist');
      noel = await actor('noel', 'nurse-specialist');
      carla = await actor('carla', 'consultant');
      bea = await actor('bea', 'booking-coordinator');
      patientId = (
        await createPatient({ db, clock, timeZone: 'Europe/London' }, nina, {
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

    it('an explant request keeps the pump on the worklist until a different clinician confirms it', async () => {
      const pump = await newPump();
      const booked = await bookPumpAppointment(deps, bea, pump.id, { kind: 'refill', onDate: '2026-12-01' });
      const before = await audited('pump.end-request');
      const request = await requestPumpEnd(deps, nina, pump.id, {
        kind: 'explant',
        endedOn: '2026-11-19',
        reason: 'Pocket infection: pump removed in theatre',
      });
      assert.equal(request.state, 'pending');
      assert.equal(await audited('pump.end-request'), before + 1);

      // Still implanted and on the list, marked as ending, its status unchanged (no fill yet).
      let o = await pumpOverview(deps, nina, pump.id);
      assert.equal(o.pump.state, 'implanted');
      assert.equal(o.endRequest?.id, request.id);
      const entry = await onList(pump.id);
      assert.equal(entry?.standing.status, 'no-plan');
      assert.deepEqual(entry.endRequest, { kind: 'explant', label: 'Pump removed (explant)' });

      // The one who asked cannot confirm: nothing changes.
      const asker = await rejects(
        confirmEndRequest(deps, nina, request.id, {}),
        'VALIDATION_FAILED',
        'checkedBy',
      );
      assert.equal(asker.reason, 'CONFIRMER_IS_REQUESTER');
      // Only pump managers decide (a booking coordinator cannot), nor ask.
      await rejects(confirmEndRequest(deps, bea, request.id, {}), 'FORBIDDEN');
      await rejects(
        requestPumpEnd(deps, bea, pump.id, { kind: 'death', endedOn: '2026-11-19', reason: 'x' }),
        'FORBIDDEN',
      );
      o = await pumpOverview(deps, nina, pump.id);
      assert.equal(o.pump.state, 'implanted');
      assert.equal(o.endRequest?.state, 'pending');
      assert.ok(await onList(pump.id));

      await withExplantPlan(deps, nina, pump.id);
      const done = await confirmEndRequest(deps, carla, request.id, { note: 'Seen the operation note' });
      assert.equal(done.request.state, 'confirmed');
      assert.equal(done.request.decidedBy, carla.userId);
      assert.equal(done.pump.state, 'explanted');
      assert.equal(done.pump.endedOn, '2026-11-19');
      o = await pumpOverview(deps, nina, pump.id);
      assert.equal(o.endRequest, null);
      assert.equal(o.appointments.find((a) => a.id === booked.id)?.state, 'cancelled');
      assert.deepEqual(
        o.events.map((e) => [e.kind, e.occurredOn, e.note]),
        [['explant', '2026-11-19', 'Pocket infection: pump removed in theatre']],
      );
      assert.equal(await onList(pump.id), undefined, 'an explanted pump leaves the list');
      const decided = await rejects(confirmEndRequest(deps, noel, request.id, {}), 'INVALID_STATE');
      assert.equal(decided.reason, 'END_REQUEST_DECIDED');
      await rejects(rejectEndRequest(deps, noel, request.id, { reason: 'Too late' }), 'INVALID_STATE');
    });

    it('refuses bad requests, naming the field, and stores nothing', async () => {
      const pump = await newPump();
      const rows = await count('pump_end_requests');
      await rejects(
        requestPumpEnd(deps, nina, pump.id, { kind: 'explant', endedOn: '2026-11-19', reason: ' ' }),
        'VALIDATION_FAILED',
        'reason',
      );
      await rejects(
        requestPumpEnd(deps, nina, pump.id, { kind: 'explant', endedOn: '2026-11-21', reason: 'Removed' }),
        'VALIDATION_FAILED',
        'endedOn',
      );
      await rejects(
        requestPumpEnd(deps, nina, pump.id, { kind: 'explant', endedOn: '2026-08-31', reason: 'Removed' }),
        'VALIDATION_FAILED',
        'endedOn',
      );
      await rejects(
        requestPumpEnd(deps, nina, pump.id, { kind: 'lost', endedOn: '2026-11-19', reason: 'Removed' }),
        'VALIDATION_FAILED',
        'kind',
      );
      await rejects(requestPumpEnd(deps, nina, pump.id, {}), 'VALIDATION_FAILED', 'kind');
      await rejects(requestPumpEnd(deps, nina, pump.id, null), 'VALIDATION_FAILED', 'body');
      await rejects(requestPumpEnd(deps, nina, 'no-such-pump', {}), 'NOT_FOUND');
      // An explant as a plain event is refused: it must go through the request.
      await rejects(
        recordPumpEvent(deps, nina, pump.id, { kind: 'explant', occurredOn: '2026-11-19', note: null }),
        'VALIDATION_FAILED',
        'kind',
      );
      assert.equal(await count('pump_end_requests'), rows);
      assert.equal((await pumpOverview(deps, nina, pump.id)).pump.state, 'implanted');
      assert.deepEqual((await pumpOverview(deps, nina, pump.id)).events, []);
    });

    it('refuses a second pending request, and a rejection leaves the pump as it was', async () => {
      const pump = await newPump();
      const first = await requestPumpEnd(deps, nina, pump.id, {
        kind: 'transfer',
        endedOn: '2026-11-20',
        reason: 'Moved to Sheffield; their ITB service takes over',
      });
      const rows = await count('pump_end_requests');
      const err = await rejects(
        requestPumpEnd(deps, noel, pump.id, { kind: 'death', endedOn: '2026-11-20', reason: 'Died' }),
        'INVALID_STATE',
      );
      assert.match(err.message, /already waiting/);
      assert.equal(err.reason, 'END_REQUEST_PENDING');
      assert.equal(await count('pump_end_requests'), rows);

      await rejects(rejectEndRequest(deps, carla, first.id, { reason: '' }), 'VALIDATION_FAILED', 'reason');
      const rejected = await rejectEndRequest(deps, carla, first.id, {
        reason: 'Sheffield have not accepted the referral yet',
      });
      assert.equal(rejected.state, 'rejected');
      assert.equal(rejected.decisionNote, 'Sheffield have not accepted the referral yet');
      const o = await pumpOverview(deps, nina, pump.id);
      assert.equal(o.pump.state, 'implanted');
      assert.equal(o.pump.endedOn, null);
      assert.equal(o.pump.version, pump.version, 'the pump row is untouched');
      assert.equal(o.endRequest, null);
      assert.deepEqual(o.events, []);
      assert.equal((await onList(pump.id))?.endRequest, null);

      // The one who asked may withdraw a request; then a new one can be made.
      const again = await requestPumpEnd(deps, nina, pump.id, {
        kind: 'transfer',
        endedOn: '2026-11-20',
        reason: 'Sheffield accepted',
      });
      const withdrawn = await rejectEndRequest(deps, nina, again.id, { reason: 'Entered on the wrong pump' });
      assert.equal(withdrawn.state, 'rejected');
      assert.equal(o.endRequests.length + 1, (await pumpOverview(deps, nina, pump.id)).endRequests.length);
    });

    it('death and transfer of care end the pump in states of their own when confirmed', async () => {
      for (const [kind, state] of [
        ['death', 'deceased'],
        ['transfer', 'transferred'],
      ] as const) {
        const pump = await newPump();
        const r = await requestPumpEnd(deps, noel, pump.id, {
          kind,
          endedOn: '2026-11-18',
          reason: `${kind} recorded`,
        });
        assert.ok(await onList(pump.id), `${kind}: on the list until confirmed`);
        const done = await confirmEndRequest(deps, nina, r.id, {});
        assert.equal(done.pump.state, state);
        assert.equal(done.pump.endedOn, '2026-11-18');
        assert.equal(await onList(pump.id), undefined, `${kind}: off the list once confirmed`);
        assert.deepEqual(
          (await pumpOverview(deps, nina, pump.id)).events.map((e) => e.kind),
          [kind],
        );
      }
    });

    it('a mistaken explant is put back, by two clinicians, with its dates worked out again', async () => {
      const pump = await newPump();
      const p = await proposePrescription(deps, nina, pump.id, SIMPLE_150);
      await confirmPrescription(deps, carla, p.id, {});
      const refill = await recordRefill(deps, nina, pump.id, refillOn('2026-11-20'));
      await signRefill(deps, carla, refill.id, { version: refill.version });
      const running = await pumpOverview(deps, nina, pump.id);
      // Filled 2026-11-20: + 60 days = alarm 2027-01-19; − 7 days = due 2027-01-12.
      assert.equal(running.pump.refillDueBy, '2027-01-12');

      // Correction is only for an ended pump.
      const implanted = await rejects(
        requestEndCorrection(deps, nina, pump.id, { reason: 'Mistake' }),
        'INVALID_STATE',
      );
      assert.equal(implanted.reason, 'END_NOT_CORRECTABLE');
      const end = await requestPumpEnd(deps, nina, pump.id, {
        kind: 'explant',
        endedOn: '2026-11-20',
        reason: 'Explant recorded',
      });
      await withExplantPlan(deps, nina, pump.id);
      await confirmEndRequest(deps, noel, end.id, {});
      assert.equal(await onList(pump.id), undefined);

      clock.advanceSeconds(600);
      const rows = await count('pump_end_requests');
      await rejects(requestEndCorrection(deps, nina, pump.id, { reason: '' }), 'VALIDATION_FAILED', 'reason');
      assert.equal(await count('pump_end_requests'), rows);
      const correction = await requestEndCorrection(deps, nina, pump.id, {
        reason: 'The explant was recorded against the wrong patient',
      });
      assert.equal(correction.kind, 'correction');
      assert.equal(correction.previousState, 'explanted');
      assert.equal(correction.previousEndedOn, '2026-11-20');
      await rejects(requestEndCorrection(deps, noel, pump.id, { reason: 'Again' }), 'INVALID_STATE');
      assert.equal(await onList(pump.id), undefined, 'still off the list until the correction is confirmed');
      await rejects(confirmEndRequest(deps, nina, correction.id, {}), 'VALIDATION_FAILED', 'checkedBy');

      const back = await confirmEndRequest(deps, carla, correction.id, {});
      assert.equal(back.pump.state, 'implanted');
      assert.equal(back.pump.endedOn, null);
      // The last plan stands and is ranked again: due 12 January 2027 (a Tuesday).
      assert.equal(back.pump.refillDueOn, '2027-01-12');
      assert.equal(back.pump.nextReviewOn, running.pump.nextReviewOn);
      assert.equal(back.pump.replaceBy, running.pump.replaceBy);
      const entry = await onList(pump.id);
      assert.equal(entry?.standing.status, 'not-booked', 'back on the list, needing a booking');
      const o = await pumpOverview(deps, nina, pump.id);
      assert.deepEqual(
        o.endRequests.map((r) => [r.kind, r.state]),
        [
          ['correction', 'confirmed'],
          ['explant', 'confirmed'],
        ],
      );
      assert.deepEqual(o.events.map((e) => e.kind).sort(), ['end-corrected', 'explant']);
      // A replaced pump cannot be put back: its successor is on the list.
      const old = await newPump();
      await registerPump(deps, nina, patientId, {
        ...PUMP,
        serialNumber: 'NGP-SUCCESSOR',
        implantedOn: '2026-11-20',
        replacesPumpId: old.id,
      });
      const replacing = (await pumpOverview(deps, nina, old.id)).endRequest;
      assert.equal(replacing?.kind, 'replacement');
      await confirmEndRequest(deps, noel, replacing.id, {});
      assert.equal((await pumpOverview(deps, nina, old.id)).pump.state, 'replaced');
      const refused = await rejects(
        requestEndCorrection(deps, nina, old.id, { reason: 'Mistake' }),
        'INVALID_STATE',
      );
      assert.match(refused.message, /A replaced pump cannot be put back/);
      clock.set(NOW);
    });

    it('a pump with an end request waiting cannot be replaced until the request is decided', async () => {
      const pump = await newPump();
      const r = await requestPumpEnd(deps, nina, pump.id, {
        kind: 'explant',
        endedOn: '2026-11-20',
        reason: 'Removed',
      });
      const pumps = await count('pumps');
      await rejects(
        registerPump(deps, nina, patientId, {
          ...PUMP,
          serialNumber: 'NGP-NEW',
          implantedOn: '2026-11-20',
          replacesPumpId: pump.id,
        }),
        'INVALID_STATE',
      );
      assert.equal(await count('pumps'), pumps);
      await rejectEndRequest(deps, noel, r.id, { reason: 'Being replaced, not removed' });
    });

    // On SQLite every write transaction starts with BEGIN IMMEDIATE, so writers queue; PostgreSQL
    // runs them side by side, and the partial unique index refuses the second request.
    it(
      'two clinicians asking at the same moment: one request is stored',
      { skip: dialect === 'sqlite' ? 'SQLite writers queue (BEGIN IMMEDIATE)' : false },
      async () => {
        const pump = await newPump();
        const other = database.openAnother();
        const second = { ...deps, db: other.db };
        const results = await Promise.allSettled([
          requestPumpEnd(deps, nina, pump.id, { kind: 'explant', endedOn: '2026-11-20', reason: 'Removed' }),
          requestPumpEnd(second, noel, pump.id, { kind: 'death', endedOn: '2026-11-20', reason: 'Died' }),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const refused = results.find((r) => r.status === 'rejected');
        assert.ok(refused?.status === 'rejected' && refused.reason instanceof AppError);
        assert.equal(refused.reason.code, 'INVALID_STATE');
        const rows = await deps.db
          .selectFrom('pump_end_requests')
          .select('id')
          .where('pump_id', '=', pump.id)
          .execute();
        assert.equal(rows.length, 1);
        await other.close();
      },
    );

    it('every decision is audited and the audit chain is intact', async () => {
      assert.ok((await audited('pump.end-decide')) >= 6);
      assert.equal((await sealAndVerify(deps.db)).problem, null);
    });
  });
}
