import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { withExplantPlan } from '../../test/support/bridging-plan-fixtures.ts';
import { sql } from 'kysely';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { loadConfig } from '../config.ts';
import { AppError } from './app-error.ts';
import type { Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import { confirmPrescription, proposePrescription } from './prescription-service.ts';
import { confirmEndRequest } from './pump-end-decisions.ts';
import { requestPumpEnd } from './pump-end-requests.ts';
import { pausePump, resumePump } from './pump-pause-service.ts';
import { registerPump } from './pump-service.ts';
import { pumpOverview } from './pump-overview.ts';
import { recordRefill } from './refill-service.ts';
import { type RefillServiceDeps } from './refill-common.ts';
import { signRefill } from './refill-sign-service.ts';
import { addUser } from './user-service.ts';
import { refillWorklist } from './worklist-service.ts';

/** Today is Friday 20 November 2026 (GMT) unless a test moves the clock. */
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

/** 20 mL at 150 mcg/day of 500 mcg/mL: 0.3 mL/day, (20 − 2) ÷ 0.3 = 60 days to the alarm, due 7 days before. */
const refillOn = (performedOn: string, residualMl = '4.0') => ({
  performedOn,
  expectedResidualMl: residualMl,
  withdrawnMl: residualMl,
  concentrationMcgPerMl: '500',
  batch: 'LB2026-117',
  expiresOn: '2027-06-30',
  instilledMl: '20',
  alarmMl: '2',
  complications: [],
});

/** Emptied for an MRI scan (as a Prometra must be): the fill before ends at the pause. */
const MRI_PAUSE = { reason: 'mri', emptied: true, pausedOn: '2026-11-20', resumeBy: '2026-11-27' };

for (const dialect of DIALECTS) {
  describe(`a paused pump stays on the worklist on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: RefillServiceDeps;
    const clock = new TestClock(NOW);
    let nina: Actor;
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
    const entry = async (pumpId: string) =>
      (await refillWorklist(deps)).entries.find((e) => e.pumpId === pumpId);
    /** A pump with a confirmed 150 mcg/day prescription, refilled and signed on `filledOn`. */
    const refilledPump = async (filledOn: string) => {
      serial += 1;
      const pump = await registerPump(deps, nina, patientId, {
        ...PUMP,
        serialNumber: `NGP${String(serial)}H`,
      });
      const p = await proposePrescription(deps, nina, pump.id, SIMPLE_150);
      await confirmPrescription(deps, carla, p.id, {});
      const refill = await recordRefill(deps, nina, pump.id, refillOn(filledOn));
      await signRefill(deps, carla, refill.id, { version: refill.version });
      return pump;
    };

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

    it('paused, then past its resume date escalated, then resumed with no plan until the next refill', async () => {
      clock.set(NOW);
      const pump = await refilledPump('2026-11-10');
      // Filled 2026-11-10: + 60 days = alarm 2027-01-09; − 7 days = due 2027-01-02.
      assert.equal((await pumpOverview(deps, nina, pump.id)).pump.refillDueBy, '2027-01-02');

      const paused = await pausePump(deps, nina, pump.id, { ...MRI_PAUSE, note: 'Prometra-style emptying' });
      assert.equal(paused.resumedOn, null);
      assert.equal(paused.emptied, true);
      let o = await pumpOverview(deps, nina, pump.id);
      assert.equal(o.pump.pausedOn, '2026-11-20');
      assert.equal(o.pump.resumeBy, '2026-11-27');
      // The emptied pump's old plan no longer applies.
      assert.equal(o.pump.refillDueBy, null);
      assert.equal(o.pump.alarmOn, null);
      assert.equal(o.standing.status, 'paused');
      // 2026-11-20 → 2026-11-27: 7 days to the resume date.
      assert.equal(o.standing.daysLeft, 7);
      assert.deepEqual(
        o.events.map((e) => [e.kind, e.occurredOn, e.note]),
        [
          [
            'paused',
            '2026-11-20',
            'For an MRI scan, reservoir emptied; to resume by 27 November 2026. Prometra-style emptying',
          ],
        ],
      );
      let e = await entry(pump.id);
      assert.equal(e?.standing.status, 'paused');
      assert.equal(e.standing.escalated, false);
      assert.deepEqual(e.pause, { pausedOn: '2026-11-20', resumeBy: '2026-11-27' });

      // A second pause is refused, and nothing is stored.
      const rows = await countRows(deps.db, 'pump_pauses');
      const again = await rejects(pausePump(deps, nina, pump.id, MRI_PAUSE), 'INVALID_STATE');
      assert.match(again.message, /already paused, to resume by 27 November 2026/);
      assert.equal(again.reason, 'PUMP_ALREADY_PAUSED');
      assert.equal(await countRows(deps.db, 'pump_pauses'), rows);

      // The resume date passes with the pause still open: escalated, first of all.
      clock.set('2026-11-27T10:00:00.000Z');
      e = await entry(pump.id);
      assert.equal(e?.standing.status, 'resume-overdue');
      assert.equal(e.standing.escalated, true);
      const list = await refillWorklist(deps);
      assert.equal(list.entries[0]?.pumpId, pump.id, 'ranked first');
      assert.equal(list.counts['resume-overdue'], 1);

      // The resume cannot predate the pause or be in the future.
      await rejects(
        resumePump(deps, nina, pump.id, { resumedOn: '2026-11-19' }),
        'VALIDATION_FAILED',
        'resumedOn',
      );
      await rejects(
        resumePump(deps, nina, pump.id, { resumedOn: '2026-11-28' }),
        'VALIDATION_FAILED',
        'resumedOn',
      );
      await rejects(resumePump(deps, bea, pump.id, { resumedOn: '2026-11-27' }), 'FORBIDDEN');
      assert.equal((await pumpOverview(deps, nina, pump.id)).pump.resumeBy, '2026-11-27');

      const resumed = await resumePump(deps, nina, pump.id, {
        resumedOn: '2026-11-27',
        note: 'Interrogated after the scan',
      });
      assert.equal(resumed.resumedOn, '2026-11-27');
      o = await pumpOverview(deps, nina, pump.id);
      assert.equal(o.pump.resumeBy, null);
      assert.equal(o.pause, null);
      // No refill since the pause: no plan, escalated until one is recorded.
      assert.equal(o.standing.status, 'no-plan');
      assert.equal((await entry(pump.id))?.standing.escalated, true);
      assert.deepEqual(
        o.pauses.map((p) => [p.pausedOn, p.resumedOn]),
        [['2026-11-20', '2026-11-27']],
      );
      const running = await rejects(
        resumePump(deps, nina, pump.id, { resumedOn: '2026-11-27' }),
        'INVALID_STATE',
      );
      assert.equal(running.reason, 'PUMP_NOT_PAUSED');
    });

    it('a refill during the pause does not end it; its plan applies once the resume is recorded', async () => {
      clock.set(NOW);
      const pump = await refilledPump('2026-11-10');
      await pausePump(deps, nina, pump.id, {
        reason: 'surgery',
        emptied: false,
        pausedOn: '2026-11-20',
        resumeBy: '2026-12-04',
      });
      clock.set('2026-11-23T10:00:00.000Z');
      // 20 mL filled on 10 November, 10 days at 0.3 mL/day until it was stopped on the 20th, and
      // nothing since: 20 − 3.0 = 17.0 mL left.
      const refill = await recordRefill(deps, nina, pump.id, refillOn('2026-11-23', '17.0'));
      assert.equal(refill.softwareExpectedMl, 17);
      assert.deepEqual(refill.flags, []);
      await signRefill(deps, carla, refill.id, { version: refill.version });
      let o = await pumpOverview(deps, nina, pump.id);
      assert.equal(o.standing.status, 'paused', 'still paused: only a resume ends the pause');
      // Refilled 2026-11-23: + 60 days = alarm 2027-01-22; − 7 days = due 2027-01-15.
      assert.equal(o.pump.refillDueBy, '2027-01-15');
      await resumePump(deps, nina, pump.id, { resumedOn: '2026-11-23' });
      o = await pumpOverview(deps, nina, pump.id);
      assert.equal(o.pump.refillDueBy, '2027-01-15', 'the refill on or after the pause date gives the plan');
      assert.equal(o.standing.status, 'not-booked');
      assert.equal(o.standing.dueOn, '2027-01-15');
      clock.set(NOW);
    });

    it('the first refill after an emptying pause is judged on the programmer’s figure alone', async () => {
      clock.set(NOW);
      const pump = await refilledPump('2026-11-10');
      // Emptied for the scan on 20 November: the pump holds nothing until it is refilled.
      await pausePump(deps, nina, pump.id, MRI_PAUSE);
      clock.set('2026-11-27T10:00:00.000Z');
      // Without the pause the software would expect 20 − 17 days × 0.3 mL = 14.9 mL and read the
      // programmer's 0 mL as a pump that ran dry and a mistyped figure; stopped but not emptied,
      // 20 − 10 × 0.3 = 17.0 mL. Emptied, the fill ended at the pause: no software figure.
      const refill = await recordRefill(deps, nina, pump.id, refillOn('2026-11-27', '0'));
      assert.deepEqual(refill.flags, []);
      assert.equal(refill.ranDryOn, null);
      assert.equal(refill.flagged, false);
      assert.equal(refill.softwareExpectedMl, null);
      // The programmer's figure is still compared with what came out: 0 expected, 0 withdrawn.
      assert.equal(refill.discrepancyMl, 0);
      await signRefill(deps, carla, refill.id, { version: refill.version });
      await resumePump(deps, nina, pump.id, { resumedOn: '2026-11-27' });
      // Refilled 2026-11-27: + 60 days = alarm 2027-01-26; − 7 days = due 2027-01-19.
      assert.equal((await pumpOverview(deps, nina, pump.id)).pump.refillDueBy, '2027-01-19');
      clock.set(NOW);
    });

    it('a one-day MRI stop (not emptied), refilled 60 days after the fill with the programmer showing 0: RAN_DRY', async () => {
      clock.set('2026-09-10T10:00:00.000Z');
      const pump = await refilledPump('2026-09-10');
      // A SynchroMed stops in the scanner with its drug inside: stopped on 20 September (day 10),
      // restarted on the 21st.
      clock.set('2026-09-20T10:00:00.000Z');
      const paused = await pausePump(deps, nina, pump.id, {
        reason: 'mri',
        emptied: false,
        pausedOn: '2026-09-20',
        resumeBy: '2026-09-21',
      });
      assert.equal(paused.emptied, false);
      clock.set('2026-09-21T10:00:00.000Z');
      await resumePump(deps, nina, pump.id, { resumedOn: '2026-09-21', note: 'Interrogated: running' });
      // Refilled on 9 November, day 60: 59 days charged × 0.3 mL = 17.7 → 2.3 mL should be left.
      // The programmer shows 0 and nothing comes out: the pump ran dry before the refill.
      clock.set('2026-11-09T10:00:00.000Z');
      const rows = await countRows(deps.db, 'refills');
      const refill = await recordRefill(deps, nina, pump.id, refillOn('2026-11-09', '0'));
      assert.equal(await countRows(deps.db, 'refills'), rows + 1);
      assert.deepEqual(
        refill.flags.map((f) => f.code),
        ['RAN_DRY', 'EXPECTED_RESIDUAL_MISMATCH'],
      );
      assert.equal(refill.flagged, true);
      assert.equal(refill.softwareExpectedMl, 2.3);
      assert.match(refill.flags[1]?.message ?? '', /with no delivery on the 1 day the pump was stopped/);
      // Flagged: it cannot be signed before another clinician's written review.
      await rejects(signRefill(deps, carla, refill.id, { version: refill.version }), 'INVALID_STATE');
      clock.set(NOW);
    });

    it('a stop of ten days for surgery (not emptied) is followed through, with no delivery while stopped', async () => {
      clock.set('2026-09-10T10:00:00.000Z');
      const pump = await refilledPump('2026-09-10');
      clock.set('2026-09-30T10:00:00.000Z');
      await pausePump(deps, nina, pump.id, {
        reason: 'surgery',
        emptied: false,
        pausedOn: '2026-09-30',
        resumeBy: '2026-10-10',
      });
      clock.set('2026-10-10T10:00:00.000Z');
      await resumePump(deps, nina, pump.id, { resumedOn: '2026-10-10' });
      // The stopped pump keeps its plan, later by the days it stood: 20 days to 29 September at
      // 0.3 = 6.0 mL; 30 September (the pause day) charged in full, 6.3; 1–9 October nothing; from
      // 10 October 0.3 a day: 18 − 6.3 = 11.7 mL above the alarm → 39 days → day 30 + 39 = 69 after
      // the fill → alarm 18 November (one day before the residual's own day-by-day 19 November),
      // due 11 November.
      const resumed = await pumpOverview(deps, nina, pump.id);
      assert.equal(resumed.pump.alarmOn, '2026-11-18');
      assert.equal(resumed.pump.refillDueBy, '2026-11-11');
      assert.equal(resumed.standing.status, 'not-booked');
      // Stopped 30 September to 10 October (days 20–29): 50 of the 60 days to 9 November charged,
      // 50 × 0.3 = 15 → 5.0 mL, as the programmer shows. Its alarm, 60 running days after the
      // fill, falls on day 70 (19 November), so 9 November is not after it.
      clock.set('2026-11-09T10:00:00.000Z');
      const refill = await recordRefill(deps, nina, pump.id, refillOn('2026-11-09', '5.0'));
      assert.equal(refill.softwareExpectedMl, 5);
      assert.deepEqual(refill.flags, []);
      await signRefill(deps, carla, refill.id, { version: refill.version });
      clock.set(NOW);
    });

    it('a pause stored without the emptied answer reads as stopped, so the software’s figure still counts', async () => {
      clock.set(NOW);
      const pump = await refilledPump('2026-11-10');
      // Written as a row from before the answer was asked: the column's default applies.
      await sql`insert into pump_pauses (id, pump_id, patient_id, reason, note, paused_on, resume_by,
        recorded_at, recorded_by, resumed_on, resume_note, resumed_at, resumed_by)
        values (${randomUUID()}, ${pump.id}, ${patientId}, 'mri', ${null}, '2026-11-12', '2026-11-13',
        '2026-11-12T10:00:00.000Z', ${nina.userId}, '2026-11-13', ${null}, '2026-11-13T10:00:00.000Z',
        ${nina.userId})`.execute(deps.db);
      assert.deepEqual(
        (await pumpOverview(deps, nina, pump.id)).pauses.map((p) => [p.pausedOn, p.emptied]),
        [['2026-11-12', false]],
      );
      // Filled 10 November, stopped on the 12th for a day: 9 of the 10 days to the 20th charged,
      // 9 × 0.3 = 2.7 → 17.3 mL expected by the software, as typed.
      const refill = await recordRefill(deps, nina, pump.id, refillOn('2026-11-20', '17.3'));
      assert.equal(refill.softwareExpectedMl, 17.3);
      assert.deepEqual(refill.flags, []);
    });

    it('a refill done before the pause but signed during it gives no plan after the resume', async () => {
      clock.set('2026-11-18T10:00:00.000Z');
      const pump = await refilledPump('2026-11-10');
      // Refilled on 18 November, recorded but not yet signed when the pump is paused on the 20th.
      // 20 mL filled on 10 November, 8 days at 0.3 mL/day: 20 − 2.4 = 17.6 mL left.
      const before = await recordRefill(deps, nina, pump.id, refillOn('2026-11-18', '17.6'));
      clock.set(NOW);
      await pausePump(deps, nina, pump.id, MRI_PAUSE);
      await signRefill(deps, carla, before.id, { version: before.version });
      // Signing sets the 18 November fill's plan: + 60 days = alarm 2027-01-17, due 2027-01-10.
      assert.equal((await pumpOverview(deps, nina, pump.id)).pump.refillDueBy, '2027-01-10');
      await resumePump(deps, nina, pump.id, { resumedOn: '2026-11-20' });
      const o = await pumpOverview(deps, nina, pump.id);
      assert.equal(o.pump.refillDueBy, null, 'that fill was before the pump was emptied');
      assert.equal(o.standing.status, 'no-plan');
    });

    // On SQLite every write transaction starts with BEGIN IMMEDIATE, so writers queue; PostgreSQL
    // runs them side by side, and the partial unique index keeps one open pause.
    it(
      'two clinicians pausing at the same moment: one pause is stored',
      { skip: dialect === 'sqlite' ? 'SQLite writers queue (BEGIN IMMEDIATE)' : false },
      async () => {
        clock.set(NOW);
        const pump = await refilledPump('2026-11-10');
        const other = database.openAnother();
        const results = await Promise.allSettled([
          pausePump(deps, nina, pump.id, MRI_PAUSE),
          pausePump({ ...deps, db: other.db }, carla, pump.id, { ...MRI_PAUSE, reason: 'surgery' }),
        ]);
        await other.close();
        const refused = results.filter((r) => r.status === 'rejected');
        assert.equal(refused.length, 1);
        assert.ok(refused[0]?.status === 'rejected' && refused[0].reason instanceof AppError);
        assert.equal(refused[0].reason.code, 'INVALID_STATE');
        const rows = await deps.db
          .selectFrom('pump_pauses')
          .select('id')
          .where('pump_id', '=', pump.id)
          .execute();
        assert.equal(rows.length, 1);
      },
    );

    it('refuses bad pauses naming the field, and stores nothing', async () => {
      clock.set(NOW);
      const pump = await refilledPump('2026-11-10');
      const before = await pumpOverview(deps, nina, pump.id);
      const cases: [Record<string, unknown>, string][] = [
        [{ reason: 'holiday' }, 'reason'],
        // Whether the reservoir was emptied is never assumed.
        [{ emptied: undefined }, 'emptied'],
        [{ emptied: 'yes' }, 'emptied'],
        [{ reason: 'other' }, 'note'],
        [{ pausedOn: '2026-11-21', resumeBy: '2026-11-27' }, 'pausedOn'],
        [{ resumeBy: '2026-11-20' }, 'resumeBy'],
        // 2026-11-20 + 90 days = 2027-02-18; a day later is beyond the longest pause.
        [{ resumeBy: '2027-02-19' }, 'resumeBy'],
        [{ resumeBy: 'soon' }, 'resumeBy'],
      ];
      for (const [change, field] of cases) {
        await rejects(
          pausePump(deps, nina, pump.id, { ...MRI_PAUSE, ...change }),
          'VALIDATION_FAILED',
          field,
        );
      }
      await rejects(pausePump(deps, bea, pump.id, MRI_PAUSE), 'FORBIDDEN');
      const after = await pumpOverview(deps, nina, pump.id);
      assert.deepEqual(after.pump, before.pump);
      assert.deepEqual(after.pauses, []);
      assert.deepEqual(after.events, []);
      // 90 days exactly is allowed.
      await pausePump(deps, nina, pump.id, { ...MRI_PAUSE, resumeBy: '2027-02-18' });
    });

    it('a paused pump can still be ended, by two clinicians; an ended pump cannot be paused', async () => {
      clock.set(NOW);
      const pump = await refilledPump('2026-11-10');
      await pausePump(deps, nina, pump.id, MRI_PAUSE);
      const r = await requestPumpEnd(deps, nina, pump.id, {
        kind: 'explant',
        endedOn: '2026-11-20',
        reason: 'Removed at surgery',
      });
      assert.equal((await entry(pump.id))?.standing.status, 'paused');
      await withExplantPlan(deps, nina, pump.id);
      await confirmEndRequest(deps, carla, r.id, {});
      assert.equal(await entry(pump.id), undefined);
      await rejects(resumePump(deps, nina, pump.id, { resumedOn: '2026-11-20' }), 'INVALID_STATE');
      const ended = await refilledPump('2026-11-10');
      const r2 = await requestPumpEnd(deps, nina, ended.id, {
        kind: 'death',
        endedOn: '2026-11-20',
        reason: 'Died',
      });
      await confirmEndRequest(deps, carla, r2.id, {});
      const died = await rejects(pausePump(deps, nina, ended.id, MRI_PAUSE), 'INVALID_STATE');
      assert.equal(died.reason, 'PUMP_NOT_IMPLANTED');
    });

    it('pauses and resumes are audited', async () => {
      const n = async (action: string) =>
        Number(
          (
            await deps.db
              .selectFrom('audit_events')
              .select((eb) => eb.fn.countAll<string | number>().as('n'))
              .where('action', '=', action)
              .executeTakeFirstOrThrow()
          ).n,
        );
      assert.equal(await n('pump.pause'), dialect === 'postgres' ? 9 : 8);
      assert.equal(await n('pump.resume'), 6);
    });
  });
}
