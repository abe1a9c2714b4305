import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DEFAULT_PUMP_RULES } from '../domain/pump-rules.ts';
import { dateIn } from '../services/clock.ts';
import { createPatient } from '../services/patient-service.ts';
import { confirmPrescription, proposePrescription } from '../services/prescription-service.ts';
import { registerPump } from '../services/pump-service.ts';
import { recordRefill } from '../services/refill-service.ts';
import { addUser } from '../services/user-service.ts';
import { backfillProgrammedOn } from './migrations/2026-12-06-002-refill-checks.ts';

/**
 * Prescriptions stored before programmed dates were kept get one: the day they were confirmed in
 * Europe/London (the day proposed when undecided), or the refill's date for a change made at a
 * refill. SQLite has no time-zone data, so its SQL works out British Summer Time itself: checked
 * here against Node's own zone data around both clock changes.
 */
const INSTANTS = [
  '2026-01-15T23:30:00.000Z', // GMT: 15 January
  '2026-03-29T00:59:00.000Z', // a minute before BST starts (01:00 UTC, last Sunday of March): 29 March
  '2026-03-29T01:00:00.000Z', // BST: 02:00 on 29 March
  '2026-03-29T23:30:00.000Z', // BST: 00:30 on 30 March
  '2026-07-01T23:30:00.000Z', // BST: 2 July
  '2026-10-24T23:30:00.000Z', // BST: 00:30 on 25 October
  '2026-10-25T00:59:00.000Z', // a minute before BST ends (01:00 UTC, last Sunday of October): 25 October
  '2026-10-25T23:30:00.000Z', // GMT: 25 October
  '2027-03-27T23:30:00.000Z', // GMT (BST starts 28 March 2027): 27 March
  '2027-03-28T23:30:00.000Z', // BST: 29 March
];

for (const dialect of DIALECTS) {
  describe(`programmed dates for existing prescriptions, on ${dialect}`, () => {
    let database: TestDatabase;
    const clock = new TestClock('2026-01-01T10:00:00.000Z');
    const ids: string[] = [];
    let undecidedId = '';
    let refillPrescriptionId = '';

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      const deps = {
        db,
        clock,
        config: {
          timeZone: 'Europe/London',
          pumpRules: DEFAULT_PUMP_RULES,
          closedDays: [],
          service: { adviceLine: { phone: '0113 000 0000', hours: '' } },
        },
      };
      const add = async (username: string, role: 'nurse-specialist' | 'consultant') => {
        const u = await addUser({ db, clock }, null, {
          username,
          displayName: username,
          role,
          password: 'a-long-test-password',
        });
        return { userId: u.id, username, role, requestId: null };
      };
      const nurse = await add('nina', 'nurse-specialist');
      const consultant = await add('carla', 'consultant');
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
        serialNumber: 'NGP400001H',
        implantedOn: '2025-12-01',
        surgeon: 'Mr A Surgeon',
        alarmMl: 2,
        origin: 'spinal',
      });
      const simple = {
        concentrationMcgPerMl: 500,
        phase: 'titration',
        programme: { mode: 'simple', doseMcgPerDay: 150, schedules: [], bolus: null },
        reason: 'Test dose elsewhere',
      };
      const first = await proposePrescription(deps, nurse, pump.id, simple);
      await confirmPrescription(deps, consultant, first.id, {});
      const template = await db
        .selectFrom('prescriptions')
        .selectAll()
        .where('id', '=', first.id)
        .executeTakeFirstOrThrow();
      // Rows as they were before the column: decided at each instant, no programmed date.
      for (const [i, instant] of INSTANTS.entries()) {
        const id = `p-${String(i)}`;
        await db
          .insertInto('prescriptions')
          .values({ ...template, id, state: 'superseded', decided_at: instant, programmed_on: null })
          .execute();
        ids.push(id);
      }
      undecidedId = 'p-undecided';
      await db
        .insertInto('prescriptions')
        .values({
          ...template,
          id: undecidedId,
          state: 'rejected',
          proposed_at: '2026-06-30T23:10:00.000Z',
          decided_at: null,
          programmed_on: null,
        })
        .execute();
      // A change made at a refill on 5 January, confirmed (signed) days later.
      clock.set('2026-01-05T10:00:00.000Z');
      const r = await recordRefill(deps, nurse, pump.id, {
        performedOn: '2026-01-05',
        expectedResidualMl: 5,
        withdrawnMl: 5,
        concentrationMcgPerMl: 500,
        batch: 'B1',
        expiresOn: '2026-12-31',
        instilledMl: 20,
        alarmMl: 2,
        newPrescription: { programme: simple.programme, phase: 'maintenance' },
      });
      refillPrescriptionId = r.prescriptionId;
      await db
        .updateTable('prescriptions')
        .set({ programmed_on: null, decided_at: '2026-01-08T12:00:00.000Z' })
        .where('id', '=', refillPrescriptionId)
        .execute();
      await backfillProgrammedOn(db as unknown as Kysely<unknown>, dialect);
    });
    after(async () => {
      await database.dispose();
    });

    const programmedOn = async (id: string) =>
      (
        await database.handle.db
          .selectFrom('prescriptions')
          .select('programmed_on')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).programmed_on;

    it('the day confirmed in Europe/London, either side of both clock changes', async () => {
      for (const [i, instant] of INSTANTS.entries()) {
        assert.equal(await programmedOn(ids[i] ?? ''), dateIn(new Date(instant), 'Europe/London'), instant);
      }
      // By hand, the ones a UTC date would get wrong: 00:30 BST on 30 March, 2 July, 25 October.
      assert.equal(await programmedOn('p-3'), '2026-03-30');
      assert.equal(await programmedOn('p-4'), '2026-07-02');
      assert.equal(await programmedOn('p-5'), '2026-10-25');
    });

    it('the day proposed when undecided, and the refill’s date for a change made at a refill', async () => {
      assert.equal(await programmedOn(undecidedId), '2026-07-01');
      assert.equal(await programmedOn(refillPrescriptionId), '2026-01-05');
    });
  });
}
