import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { TestClock } from '../../test/support/clock.ts';
import { addDays, type PlainDate } from '../domain/calendar-date.ts';
import { findPumpModel } from '../domain/pump-device.ts';
import { DEFAULT_PUMP_RULES } from '../domain/pump-rules.ts';
import { pumpSchedule, REFILL_STATUSES } from '../domain/refill-worklist.ts';
import { closedDaysBetween } from './closed-days.ts';
import { createPatient } from './patient-service.ts';
import { addUser } from './user-service.ts';
import { refillWorklist } from './worklist-service.ts';
import { refreshPumpSchedules } from './pump-schedule-refresh.ts';

/** A small deterministic generator, so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TODAY = '2026-12-22' as PlainDate;

for (const dialect of DIALECTS) {
  describe(`the worklist's ranking in the database agrees with refillStanding on ${dialect}`, () => {
    let database: TestDatabase;
    // 22 December 2026, 10:00 in London: Christmas and Boxing Day (moved to the 28th) are near.
    const clock = new TestClock('2026-12-22T10:00:00.000Z');
    const deps = () => ({
      db: database.handle.db,
      clock,
      config: { timeZone: 'Europe/London', pumpRules: DEFAULT_PUMP_RULES, closedDays: [] },
    });

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      const u = await addUser({ db, clock }, null, {
        username: 'nina',
        displayName: 'Nina',
        role: 'nurse-specialist',
        password: 'a-long-test-password',
      });
      const actor = { userId: u.id, username: 'nina', role: u.role, requestId: null };
      const patient = await createPatient({ db, clock, timeZone: 'Europe/London' }, actor, {
        nhsNumber: '4857773457',
        givenName: 'Ann',
        familyName: 'Smith',
        dateOfBirth: '1961-03-14',
        sex: 'female',
      });
      const rand = prng(5);
      const closed = closedDaysBetween(2025, 2028, []);
      const at = clock.now().toISOString();
      for (let i = 0; i < 240; i += 1) {
        // Due dates from 20 days ago to 40 days ahead, across weekends and the Christmas holidays;
        // one pump in twelve has no fill recorded.
        const dueBy = i % 12 === 0 ? null : addDays(TODAY, Math.floor(rand() * 60) - 20);
        const spread = addDays(TODAY, -30 - Math.floor(rand() * 3000));
        // The pumps past their replacement indicator were implanted on 10 January 2021, so their
        // planned replacement (10 July 2027) comes after the one the indicator gives.
        const implantedOn = i % 40 === 0 ? ('2021-01-10' as PlainDate) : spread;
        const eriOn = i % 40 === 0 ? addDays(TODAY, -3) : null;
        // One pump in seventeen is paused, due to resume yesterday, today, tomorrow or the day
        // after: the first two are past their resume date (escalated), the others paused. Each
        // keeps the plan it had (a refill recorded during the pause), which must not count.
        const resumeBy = i % 17 === 5 ? addDays(TODAY, (Math.floor(i / 17) % 4) - 1) : null;
        const s = pumpSchedule(
          { refillDueBy: dueBy, implantedOn, reviewsHeld: i % 7, eriOn, resumeBy },
          findPumpModel('synchromed-ii'),
          DEFAULT_PUMP_RULES.reviewSchedule,
          closed,
          DEFAULT_PUMP_RULES.replacementMarginDays,
        );
        const id = `pump-${String(i).padStart(3, '0')}`;
        // Bookings: none, before the due date, after it, in the past (missed, not settled), cancelled.
        const kind = Math.floor(rand() * 5);
        const onDate =
          dueBy === null || kind === 0
            ? null
            : kind === 1
              ? addDays(dueBy, -2)
              : kind === 2
                ? addDays(dueBy, 3)
                : kind === 3
                  ? addDays(TODAY, -1)
                  : addDays(dueBy, -1);
        const booked = onDate !== null && kind !== 4;
        await db
          .insertInto('pumps')
          .values({
            id,
            patient_id: patient.id,
            model_id: 'synchromed-ii',
            reservoir_ml: 20,
            serial_number: `S${i}`,
            implanted_on: implantedOn,
            surgeon: 'Mr A',
            alarm_ml: 2,
            catheter_model: null,
            catheter_tip_level: null,
            origin: 'spinal',
            state: i % 30 === 1 ? 'explanted' : 'implanted',
            eri_on: eriOn,
            ended_on: null,
            replaces_pump_id: null,
            last_refill_id: null,
            alarm_on: dueBy === null ? null : addDays(dueBy, 7),
            refill_due_by: dueBy,
            reviews_held: i % 7,
            refill_due_on: s.refillDueOn,
            next_review_on: s.nextReviewOn,
            replace_by: s.replaceBy,
            refill_booked_on: booked ? onDate : null,
            paused_on: resumeBy === null ? null : addDays(TODAY, -5),
            resume_by: resumeBy,
            created_at: at,
            created_by: u.id,
            updated_at: at,
            updated_by: u.id,
            version: 1,
          })
          .execute();
        if (onDate !== null) {
          await db
            .insertInto('pump_appointments')
            .values({
              id: `appt-${String(i)}`,
              pump_id: id,
              patient_id: patient.id,
              kind: 'refill',
              on_date: onDate,
              state: booked ? 'booked' : 'cancelled',
              note: null,
              created_at: at,
              created_by: u.id,
              updated_at: at,
              updated_by: u.id,
              version: 1,
            })
            .execute();
        }
      }
    });
    after(async () => {
      await database.dispose();
    });

    it('counts every implanted pump once, with the status refillStanding gives it, ranked by risk', async () => {
      const list = await refillWorklist(deps());
      assert.equal(list.total, 240 - 8);
      assert.equal(list.entries.length, list.total);
      for (const status of REFILL_STATUSES) {
        assert.equal(
          list.counts[status],
          list.entries.filter((e) => e.standing.status === status).length,
          `the database and refillStanding disagree on ${status}`,
        );
      }
      const ranks = list.entries.map((e) => REFILL_STATUSES.indexOf(e.standing.status));
      assert.deepEqual(
        ranks,
        [...ranks].sort((a, b) => a - b),
      );
      for (const status of REFILL_STATUSES) {
        assert.ok(list.counts[status] > 0, `the data should exercise ${status}`);
      }
      assert.equal(list.escalated, list.entries.filter((e) => e.standing.escalated).length);
      assert.equal(list.replacementsDue, list.entries.filter((e) => e.replacement.status !== 'later').length);
      assert.equal(list.reviewsDue, list.entries.filter((e) => e.review.status !== 'later').length);
    });

    it('works the stored dates out again when a setting they depend on changes', async () => {
      const base = deps();
      assert.equal(await refreshPumpSchedules(base), 0, 'nothing changes when the settings have not');
      const pump = await database.handle.db
        .selectFrom('pumps')
        .select(['id', 'refill_due_on'])
        .where('refill_due_on', '>', TODAY)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const closedOn = pump.refill_due_on ?? '';
      const changed = await refreshPumpSchedules({
        ...base,
        config: { ...base.config, closedDays: [closedOn] },
      });
      assert.ok(changed >= 1);
      const after = await database.handle.db
        .selectFrom('pumps')
        .select('refill_due_on')
        .where('id', '=', pump.id)
        .executeTakeFirstOrThrow();
      assert.ok((after.refill_due_on ?? '') < closedOn, 'the due date moves before the new closed day');
      // Back to the original settings: the dates return.
      await refreshPumpSchedules(base);
    });

    it('works the replace-by dates out again when the replacement margin changes', async () => {
      const base = deps();
      const eri = () =>
        database.handle.db
          .selectFrom('pumps')
          .select(['id', 'eri_on', 'replace_by'])
          .where('eri_on', 'is not', null)
          .orderBy('id')
          .execute();
      const before = await eri();
      assert.ok(before.length > 0);
      for (const p of before) {
        // ERI 3 days before 22 December 2026 = 19 December; + 90 days = 19 March 2027; − 30 = 17 February 2027.
        assert.equal(p.replace_by, '2027-02-17');
      }
      const wider = {
        ...base,
        config: { ...base.config, pumpRules: { ...DEFAULT_PUMP_RULES, replacementMarginDays: 45 } },
      };
      assert.equal(await refreshPumpSchedules(wider), before.length);
      for (const p of await eri()) {
        // 19 March 2027 − 45 days = 2 February 2027.
        assert.equal(p.replace_by, '2027-02-02');
      }
      await refreshPumpSchedules(base);
      assert.deepEqual(await eri(), before);
    });

    it('pages through the same order, and a count-only call reads no rows', async () => {
      const all = (await refillWorklist(deps())).entries.map((e) => e.pumpId);
      const pages: string[] = [];
      for (let offset = 0; offset < all.length; offset += 50) {
        pages.push(...(await refillWorklist(deps(), { offset, limit: 50 })).entries.map((e) => e.pumpId));
      }
      assert.deepEqual(pages, all);
      const counts = await refillWorklist(deps(), { limit: 0 });
      assert.equal(counts.entries.length, 0);
      assert.equal(counts.total, all.length);
    });
  });
}
