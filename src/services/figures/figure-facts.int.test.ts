import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DIALECTS, type TestDatabase } from '../../../test/support/databases.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { openRefillWorld } from '../../../test/support/refill-service-world.ts';
import { ERS_REFERRAL } from '../../../test/support/referral-fixtures.ts';
import { loadConfig } from '../../config.ts';
import type { PlainDate } from '../../domain/calendar-date.ts';
import type { Db } from '../../storage/database.ts';
import { refillMonthCounts } from '../../storage/figures/clinical-refills.repository.ts';
import { refillCountsSql } from '../../storage/figures/figure-facts.repository.ts';
import { bookAppointment, cancelAppointment } from '../appointment-service.ts';
import type { Actor } from '../audit-service.ts';
import { recordFirstAppointmentOutcome } from '../first-appointment-outcome-service.ts';
import { confirmPrescription, proposePrescription } from '../prescription-service.ts';
import { amendRefill, confirmRefillAmendment } from '../refill-amendment-service.ts';
import type { RefillServiceDeps } from '../refill-common.ts';
import { rejectRefill } from '../refill-review-service.ts';
import { recordRefill } from '../refill-service.ts';
import { signRefill } from '../refill-sign-service.ts';
import { createReferral, triageReferral } from '../referral-service.ts';
import { addUser } from '../user-service.ts';
import { refreshFigureFacts } from './figure-facts-service.ts';

/**
 * The figures' derived facts (figure-facts.repository.ts) kept by the services that write their
 * sources, on both databases: each refill's previous refill and the refill figures' day counts
 * after a refill is recorded, signed, voided and corrected; a referral's first triage and first
 * attended dates after a triage decision and appointments. Each is compared with the same fact
 * worked out afresh from the rows.
 */

const refill = (performedOn: string, residual: string) => ({
  performedOn,
  expectedResidualMl: residual,
  withdrawnMl: residual,
  concentrationMcgPerMl: '500',
  batch: 'LB2026-300',
  expiresOn: '2027-12-31',
  instilledMl: '20',
  alarmMl: '2',
  complications: [],
});

const numbers = (row: object) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k === 'day' ? v : Number(v)]));

/** The stored day counts and the same counted afresh from every refill. */
async function dayCounts(db: Db) {
  const stored = await db
    .selectFrom('refill_figure_days')
    .selectAll()
    .where('refills', '>', 0)
    .orderBy('day')
    .execute();
  const fresh = (await refillCountsSql(db, '0000-01-01', '9999-12-31').execute(db)).rows;
  return {
    stored: stored.map(numbers),
    fresh: fresh.map(numbers).sort((a, b) => String(a.day).localeCompare(String(b.day))),
  };
}

/** Each refill's stored previous refill, and the one worked out afresh by SQL. */
async function previousRefills(db: Db) {
  const { rows } = await sql<{ id: string; got: string | null; want: string | null }>`
    select r.id, r.prev_performed_on || '/' || r.prev_due_by as got,
      (select x.performed_on || '/' || x.due_by from refills x
       where x.pump_id = r.pump_id and x.state <> 'voided'
         and (x.performed_on, x.recorded_at) < (r.performed_on, r.recorded_at)
       order by x.performed_on desc, x.recorded_at desc limit 1) as want
    from refills r order by r.id`.execute(db);
  return rows;
}

async function assertFresh(db: Db): Promise<void> {
  const { stored, fresh } = await dayCounts(db);
  assert.deepEqual(stored, fresh);
  for (const r of await previousRefills(db)) {
    assert.equal(r.got, r.want, `refill ${r.id}`);
  }
}

const NOVEMBER = { from: '2026-11-01' as PlainDate, to: '2026-11-30' as PlainDate };

const SIMPLE = {
  concentrationMcgPerMl: 500,
  phase: 'titration',
  programme: { mode: 'simple', doseMcgPerDay: 150, schedules: [], bolus: null },
};

for (const dialect of DIALECTS) {
  describe(`the figures' refill facts kept by the refill services on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: RefillServiceDeps;
    const clock = new TestClock('2026-11-01T10:00:00.000Z');
    let nurse: Actor;
    let consultant: Actor;
    let pumpId = '';

    before(async () => {
      ({ database, deps, nurse, consultant, pumpId } = await openRefillWorld(dialect, clock, 'NGP400001H'));
      const p = await proposePrescription(deps, nurse, pumpId, { ...SIMPLE, reason: 'Test dose elsewhere' });
      await confirmPrescription(deps, consultant, p.id, {});
    });
    after(async () => {
      await database.dispose();
    });

    it('follows a refill recorded, signed, voided and corrected', async () => {
      const db = deps.db;
      const first = await recordRefill(deps, nurse, pumpId, refill('2026-11-01', '5'));
      await assertFresh(db);
      await signRefill(deps, consultant, first.id, { version: first.version });
      await assertFresh(db);

      clock.set('2026-11-20T10:00:00.000Z');
      const second = await recordRefill(deps, nurse, pumpId, refill('2026-11-20', '14.3'));
      const row = await db.selectFrom('refills').selectAll().where('id', '=', second.id).executeTakeFirst();
      assert.equal(row?.prev_performed_on, '2026-11-01');
      assert.equal(row.prev_due_by, first.dueBy);
      await assertFresh(db);
      const [before] = await refillMonthCounts(db, NOVEMBER);
      assert.equal(before?.refills, 2);
      assert.equal(before.withDueDate, 1);

      // Voided: it leaves the counts.
      await rejectRefill(deps, consultant, second.id, { reason: 'Recorded against the wrong pump' });
      await assertFresh(db);
      const [voided] = await refillMonthCounts(db, NOVEMBER);
      assert.equal(voided?.refills, 1);
      assert.equal(voided.withDueDate, 0);

      clock.set('2026-11-21T10:00:00.000Z');
      const third = await recordRefill(deps, nurse, pumpId, refill('2026-11-21', '14'));
      await signRefill(deps, consultant, third.id, { version: third.version });
      await assertFresh(db);

      // A correction of the first fill moves the due date the third is judged by.
      const a = await amendRefill(deps, nurse, first.id, { reason: 'Misread the syringe', instilledMl: 8 });
      const corrected = await confirmRefillAmendment(deps, consultant, first.id, a.id, {});
      assert.notEqual(corrected.dueBy, first.dueBy);
      const next = await db.selectFrom('refills').selectAll().where('id', '=', third.id).executeTakeFirst();
      assert.equal(next?.prev_due_by, corrected.dueBy);
      await assertFresh(db);
    });

    it('works every fact out afresh after a change made directly in the database, audited', async () => {
      const db = deps.db;
      // A data fix no writer saw: the kept facts are now stale.
      await db.updateTable('refills').set({ prev_performed_on: null, prev_due_by: null }).execute();
      await db.deleteFrom('refill_figure_days').execute();
      await assert.rejects(assertFresh(db));
      await refreshFigureFacts({ db, clock });
      await assertFresh(db);
      const audited = await db
        .selectFrom('audit_events')
        .select(['action', 'user_id'])
        .where('action', '=', 'figures.refresh-facts')
        .execute();
      assert.deepEqual(
        audited.map((a) => ({ ...a })),
        [{ action: 'figures.refresh-facts', user_id: null }],
      );
    });
  });

  describe(`the figures' referral facts kept by the triage and appointment services on ${dialect}`, () => {
    let database: TestDatabase;
    const clock = new TestClock('2026-11-25T10:00:00.000Z');

    after(async () => {
      await database.dispose();
    });

    it('follows the first triage decision and the first attended appointment', async () => {
      let consultant: Actor;
      ({ database, consultant } = await openRefillWorld(dialect, clock, 'NGP400002H'));
      const db = database.handle.db;
      const deps = {
        db,
        clock,
        config: loadConfig({
          SERVICE_PHONE: '0113 392 4000',
          SERVICE_EMAIL: 'itb.service@nhs.net',
          SMTP_HOST: '127.0.0.1',
          SMTP_FROM: 'itb@nhs.net',
        }),
      };
      const u = await addUser({ db, clock }, null, {
        username: 'bea',
        displayName: 'Bea Booker',
        role: 'booking-coordinator',
        password: 'a-long-test-password',
      });
      const booking: Actor = { userId: u.id, username: 'bea', role: 'booking-coordinator', requestId: null };
      const patient = await db.selectFrom('patients').select('id').executeTakeFirstOrThrow();
      // The clinic letter the outcome makes needs the patient's address.
      await db
        .updateTable('patients')
        .set({ address_line1: '1 Park Row', town: 'Leeds', postcode: 'LS1 5AB' })
        .where('id', '=', patient.id)
        .execute();
      const slot = { time: '10:00', clinic: 'Spasticity clinic', clinician: 'Dr Hughes' };
      const facts = async (id: string) => ({
        ...(await db
          .selectFrom('referrals')
          .select(['first_triaged_on', 'first_seen_on'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow()),
      });

      const r = await createReferral(
        deps,
        booking,
        { patientId: patient.id },
        { ...ERS_REFERRAL, ubrn: '7300 0000 0001' },
      );
      assert.deepEqual(await facts(r.id), { first_triaged_on: null, first_seen_on: null });
      clock.set('2026-11-26T10:00:00.000Z');
      await triageReferral(deps, consultant, r.id, null, { outcome: 'accepted', priority: 'routine' });
      assert.deepEqual(await facts(r.id), { first_triaged_on: '2026-11-26', first_seen_on: null });

      // Booked, then cancelled: not seen. Booked again and attended: seen that day.
      const a1 = await bookAppointment(deps, booking, r.id, { date: '2026-11-26', ...slot });
      await cancelAppointment(deps, booking, a1.id, null, { cancelReason: 'patient-cancelled' });
      assert.equal((await facts(r.id)).first_seen_on, null);
      const a2 = await bookAppointment(deps, booking, r.id, { date: '2026-11-26', ...slot });
      await recordFirstAppointmentOutcome(deps, consultant, a2.id, null, {
        nextStep: 'selection-assessment',
        summary: 'Tone is high in both legs.',
      });
      assert.deepEqual(await facts(r.id), { first_triaged_on: '2026-11-26', first_seen_on: '2026-11-26' });
    });
  });
}
