import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { withExplantPlan } from '../../test/support/bridging-plan-fixtures.ts';
import { sql } from 'kysely';
import { rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { loadConfig } from '../config.ts';
import { type Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import { confirmPrescription, proposePrescription } from './prescription-service.ts';
import { confirmEndRequest, rejectEndRequest } from './pump-end-decisions.ts';
import { requestPumpEnd } from './pump-end-requests.ts';
import { registerPump } from './pump-service.ts';
import { bookPumpAppointment } from './pump-appointment-service.ts';
import { pumpOverview } from './pump-overview.ts';
import { recordRefill } from './refill-service.ts';
import { type RefillServiceDeps } from './refill-common.ts';
import { signRefill } from './refill-sign-service.ts';
import { addUser } from './user-service.ts';
import { refillWorklist } from './worklist-service.ts';
import { sealAndVerify } from '../../test/support/audit-chain.ts';

/**
 * A replacement, registered as a new pump, ends the old one only when a different clinician
 * confirms it (pump-lifecycle-service.int.test.ts holds the explant, death, transfer and
 * correction requests). Today is Friday 20 November 2026 (GMT).
 */
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
  describe(`a replacement ends the old pump only when a second clinician confirms, on ${dialect}`, () => {
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

    it('a replacement is asked for by registering the new pump, and ends the old one only when a different clinician confirms it', async () => {
      const old = await newPump();
      const p = await proposePrescription(deps, nina, old.id, SIMPLE_150);
      await confirmPrescription(deps, carla, p.id, {});
      const fill = await recordRefill(deps, nina, old.id, refillOn('2026-11-10'));
      await signRefill(deps, carla, fill.id, { version: fill.version });
      const booked = await bookPumpAppointment(deps, bea, old.id, { kind: 'refill', onDate: '2026-12-01' });
      const running = await pumpOverview(deps, nina, old.id);
      // Filled 2026-11-10: + 60 days = alarm 2027-01-09; − 7 days = due 2027-01-02.
      assert.equal(running.pump.refillDueBy, '2027-01-02');
      const status = (await onList(old.id))?.standing.status;
      const asked = await audited('pump.end-request');

      const successor = await registerPump(deps, nina, patientId, {
        ...PUMP,
        serialNumber: 'NGP-REPL-1',
        implantedOn: '2026-11-19',
        replacesPumpId: old.id,
      });
      assert.equal(successor.replacesPumpId, old.id);
      assert.equal(await audited('pump.end-request'), asked + 1);

      // The old pump is still implanted, with its plan and booking, on the list and marked ending.
      let o = await pumpOverview(deps, nina, old.id);
      assert.equal(o.pump.state, 'implanted');
      assert.equal(o.pump.endedOn, null);
      assert.equal(o.pump.refillDueBy, '2027-01-02');
      assert.equal(o.appointments.find((a) => a.id === booked.id)?.state, 'booked');
      assert.deepEqual(o.events, []);
      const request = o.endRequest;
      assert.equal(request?.kind, 'replacement');
      assert.equal(request.endedOn, '2026-11-19');
      assert.equal(request.reason, 'Replaced by NGP-REPL-1');
      assert.equal(request.replacementPumpId, successor.id);
      assert.equal(request.requestedBy, nina.userId);
      const entry = await onList(old.id);
      assert.ok(entry);
      assert.equal(entry.standing.status, status, 'its refill status unchanged');
      assert.deepEqual(entry.endRequest, { kind: 'replacement', label: 'Pump replaced by a new pump' });
      assert.equal((await onList(successor.id))?.standing.status, 'no-plan');

      // The one who registered it cannot confirm, nor can a booking coordinator: nothing changes.
      await rejects(confirmEndRequest(deps, nina, request.id, {}), 'VALIDATION_FAILED', 'checkedBy');
      await rejects(confirmEndRequest(deps, bea, request.id, {}), 'FORBIDDEN');
      o = await pumpOverview(deps, nina, old.id);
      assert.equal(o.pump.state, 'implanted');
      assert.equal(o.pump.version, running.pump.version, 'the old pump row is untouched');

      const done = await confirmEndRequest(deps, carla, request.id, { note: 'Operation note seen' });
      assert.equal(done.pump.state, 'replaced');
      assert.equal(done.pump.endedOn, '2026-11-19');
      o = await pumpOverview(deps, nina, old.id);
      assert.equal(o.endRequest, null);
      const cancelled = o.appointments.find((a) => a.id === booked.id);
      assert.equal(cancelled?.state, 'cancelled');
      assert.equal(cancelled.note, 'Replaced by NGP-REPL-1');
      assert.deepEqual(
        o.events.map((e) => [e.kind, e.occurredOn, e.note]),
        [['replacement', '2026-11-19', 'Replaced by NGP-REPL-1']],
      );
      assert.equal(await onList(old.id), undefined, 'the replaced pump leaves the list');
      assert.ok(await onList(successor.id), 'the new pump stays on it');
    });

    it('a rejected replacement leaves the old pump implanted and on the list, and the new one registered', async () => {
      const old = await newPump();
      const successor = await registerPump(deps, noel, patientId, {
        ...PUMP,
        serialNumber: 'NGP-REPL-2',
        implantedOn: '2026-11-20',
        replacesPumpId: old.id,
      });
      const request = (await pumpOverview(deps, nina, old.id)).endRequest;
      assert.equal(request?.kind, 'replacement');
      const rejected = await rejectEndRequest(deps, carla, request.id, {
        reason: 'Theatre list cancelled: the new pump was registered before the operation',
      });
      assert.equal(rejected.state, 'rejected');
      const o = await pumpOverview(deps, nina, old.id);
      assert.equal(o.pump.state, 'implanted');
      assert.equal(o.pump.version, old.version, 'the old pump row is untouched');
      assert.equal(o.endRequest, null);
      assert.deepEqual(o.events, []);
      assert.equal((await onList(old.id))?.endRequest, null);
      const s = await pumpOverview(deps, nina, successor.id);
      assert.equal(s.pump.state, 'implanted');
      assert.equal(s.pump.replacesPumpId, old.id);
      // Nothing is left hanging: the record can be put right with another request.
      const explant = await requestPumpEnd(deps, nina, old.id, {
        kind: 'explant',
        endedOn: '2026-11-20',
        reason: 'Taken out at the operation; replaced by NGP-REPL-2',
      });
      await rejectEndRequest(deps, nina, explant.id, {
        reason: 'Entered to show the record can be put right',
      });
    });

    it('a replacement cannot be confirmed once the new pump has ended: the old one stays on the list', async () => {
      const old = await newPump();
      const successor = await registerPump(deps, nina, patientId, {
        ...PUMP,
        serialNumber: 'NGP-REPL-3',
        implantedOn: '2026-11-20',
        replacesPumpId: old.id,
      });
      const request = (await pumpOverview(deps, nina, old.id)).endRequest;
      assert.equal(request?.kind, 'replacement');
      // The new pump was registered in error and its end confirmed first.
      const wrong = await requestPumpEnd(deps, noel, successor.id, {
        kind: 'explant',
        endedOn: '2026-11-20',
        reason: 'Registered in error: not implanted',
      });
      await withExplantPlan(deps, noel, successor.id);
      await confirmEndRequest(deps, carla, wrong.id, {});
      const err = await rejects(confirmEndRequest(deps, carla, request.id, {}), 'INVALID_STATE');
      assert.equal(err.reason, 'REPLACEMENT_NOT_IMPLANTED');
      assert.match(
        err.message,
        /The pump registered to replace this one is removed \(explanted\): reject this request/,
      );
      const o = await pumpOverview(deps, nina, old.id);
      assert.equal(o.pump.state, 'implanted');
      assert.equal(o.endRequest?.state, 'pending');
      assert.ok(await onList(old.id));
      await rejectEndRequest(deps, carla, request.id, { reason: 'The new pump was registered in error' });
    });

    // PostgreSQL runs READ COMMITTED: a registration cannot see another transaction's request
    // still being written, and the partial unique index refuses the second. The race is made
    // certain: a request is held uncommitted until the registration waits on the index behind
    // it. (On SQLite every write transaction starts with BEGIN IMMEDIATE, so writers queue.)
    it(
      'a replacement racing another request to end the same pump is a 409, and stores no pump',
      { skip: dialect === 'sqlite' ? 'SQLite writers queue (BEGIN IMMEDIATE)' : false },
      async () => {
        const old = await newPump();
        const holder = database.openAnother();
        const watcher = database.openAnother();
        let registering: Promise<unknown> = Promise.resolve();
        await holder.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('pump_end_requests')
            .values({
              id: randomUUID(),
              pump_id: old.id,
              patient_id: patientId,
              kind: 'explant',
              ended_on: '2026-11-20',
              reason: 'Removed',
              previous_state: null,
              previous_ended_on: null,
              replacement_pump_id: null,
              state: 'pending',
              requested_at: clock.now().toISOString(),
              requested_by: noel.userId,
              decided_at: null,
              decided_by: null,
              decision_note: null,
            })
            .execute();
          registering = registerPump(deps, nina, patientId, {
            ...PUMP,
            serialNumber: 'NGP-RACE-1',
            implantedOn: '2026-11-20',
            replacesPumpId: old.id,
          });
          registering.catch(() => undefined);
          // Commit only once the registration is waiting on the index behind this transaction.
          for (let i = 0; i < 500; i += 1) {
            const waiting = await sql<{ n: string | number }>`select count(*) as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'
              and query like ${'insert into "pump_end_requests"%'}`.execute(watcher.db);
            if (Number(waiting.rows[0]?.n) > 0) {
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        });
        const err = await rejects(registering, 'INVALID_STATE');
        assert.match(err.message, /at the same moment/);
        assert.equal(err.reason, 'END_REQUEST_PENDING');
        await holder.close();
        await watcher.close();
        const stored = await deps.db
          .selectFrom('pumps')
          .select('id')
          .where('serial_number', '=', 'NGP-RACE-1')
          .execute();
        assert.deepEqual(stored, [], 'the refused registration stored no pump');
      },
    );

    it('the audit chain is intact', async () => {
      assert.ok((await audited('pump.end-request')) >= 3);
      assert.equal((await sealAndVerify(deps.db)).problem, null);
    });
  });
}
