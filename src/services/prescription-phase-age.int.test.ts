import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DEFAULT_PUMP_RULES } from '../domain/pump-rules.ts';
import type { Prescription } from '../storage/prescriptions.repository.ts';
import type { Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import { confirmPrescription, proposePrescription } from './prescription-service.ts';
import { registerPump } from './pump-service.ts';
import { recordRefill } from './refill-service.ts';
import { type RefillServiceDeps } from './refill-common.ts';
import { addUser } from './user-service.ts';

/**
 * The phase and the age a change is held to, through the service on both databases: a new
 * pump's first prescription starts titration (maintenance refused, on its own or at a refill)
 * unless the pump replaces another; the child limit is judged on the day of the change, the
 * refill's date for a change made at a refill. A refusal stores nothing.
 */

const simple = (doseMcgPerDay: number) => ({
  concentrationMcgPerMl: 500,
  phase: 'titration',
  programme: { mode: 'simple', doseMcgPerDay, schedules: [], bolus: null },
});

for (const dialect of DIALECTS) {
  describe(`prescription phase and age on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: RefillServiceDeps;
    const clock = new TestClock('2026-11-20T10:00:00.000Z');
    let nurse: Actor;
    let consultant: Actor;
    let serial = 0;

    const actor = async (username: string, role: 'nurse-specialist' | 'consultant'): Promise<Actor> => {
      const u = await addUser({ db: database.handle.db, clock }, null, {
        username,
        displayName: username,
        role,
        password: 'a-long-test-password',
      });
      return { userId: u.id, username, role, requestId: null };
    };
    const patient = async (nhsNumber: string, dateOfBirth: string) =>
      (
        await createPatient(
          { db: deps.db, clock, timeZone: 'Europe/London' },
          nurse,
          {
            nhsNumber,
            givenName: 'Test',
            familyName: `Patient${nhsNumber.slice(-3)}`,
            dateOfBirth,
            sex: 'female',
          },
          // Test patients share a birthday and a name pattern: not duplicates.
          { confirmNotDuplicate: true },
        )
      ).id;
    const pump = async (
      patientId: string,
      origin: 'spinal' | 'cerebral',
      extra: Record<string, unknown> = {},
    ) =>
      (
        await registerPump(deps, nurse, patientId, {
          modelId: 'synchromed-ii',
          reservoirMl: 20,
          serialNumber: `PHA${String((serial += 1))}`,
          implantedOn: '2026-09-01',
          surgeon: 'Mr A Surgeon',
          alarmMl: 2,
          origin,
          ...extra,
        })
      ).id;
    const prescriptions = () => countRows(deps.db, 'prescriptions');
    /** Propose and confirm; the first one is checked against no test dose, so it carries a reason. */
    const establish = async (pumpId: string, raw: Record<string, unknown>): Promise<Prescription> => {
      const p = await proposePrescription(deps, nurse, pumpId, {
        reason: 'Test dose given elsewhere',
        ...raw,
      });
      return confirmPrescription(deps, consultant, p.id, {});
    };
    /** The next day but one: the confirmed dose is the one running 24 hours before. */
    const twoDaysLater = () => {
      clock.set(new Date(clock.now().getTime() + 2 * 86_400_000).toISOString());
    };

    before(async () => {
      database = await openTestDatabase(dialect);
      deps = {
        db: database.handle.db,
        clock,
        config: {
          timeZone: 'Europe/London',
          pumpRules: DEFAULT_PUMP_RULES,
          closedDays: [],
          service: { adviceLine: { phone: '0113 000 0000', hours: '' } },
        },
      };
      nurse = await actor('nina', 'nurse-specialist');
      consultant = await actor('carl', 'consultant');
    });
    after(async () => {
      await database.dispose();
    });

    it("refuses maintenance on a new pump's first prescription; titration first, maintenance once confirmed", async () => {
      clock.set('2027-01-04T10:00:00.000Z');
      const pumpId = await pump(await patient('9990000131', '1970-01-01'), 'cerebral');
      const before = await prescriptions();
      const reason = { reason: 'Test dose given elsewhere' };
      const refused = await rejects(
        proposePrescription(deps, nurse, pumpId, { ...simple(100), phase: 'maintenance', ...reason }),
        'VALIDATION_FAILED',
        'phase',
      );
      assert.equal(
        refused.fieldErrors.find((e) => e.field === 'phase')?.message,
        'A new pump starts in titration: choose titration for its first prescription. A maintenance dose is confirmed once titration has found it',
      );
      assert.equal(await prescriptions(), before);
      // In titration it is accepted, and held to cerebral titration from then on: 100 → 120 the
      // day after but one is +20 %, beyond the 15 % it would have passed as maintenance.
      await establish(pumpId, { ...simple(100), phase: 'titration' });
      twoDaysLater();
      await rejects(
        proposePrescription(deps, nurse, pumpId, { ...simple(120), phase: 'titration' }),
        'VALIDATION_FAILED',
        'reason',
      );
      // 100 → 110 (+10 %) puts the pump into maintenance: no longer the first prescription.
      const next = await proposePrescription(deps, nurse, pumpId, { ...simple(110), phase: 'maintenance' });
      assert.deepEqual([next.phase, next.limitPhase, next.withinLimit], ['maintenance', 'titration', true]);
    });

    it("a replacement pump's first prescription may stay in maintenance: the history carries over", async () => {
      clock.set('2027-01-11T10:00:00.000Z');
      const patientId = await patient('9990000158', '1970-01-01');
      const oldPump = await pump(patientId, 'spinal');
      await establish(oldPump, simple(300));
      twoDaysLater();
      await confirmPrescription(
        deps,
        consultant,
        (await proposePrescription(deps, nurse, oldPump, { ...simple(300), phase: 'maintenance' })).id,
        {},
      );
      twoDaysLater();
      const newPump = await pump(patientId, 'spinal', { replacesPumpId: oldPump, implantedOn: '2027-01-15' });
      const p = await proposePrescription(deps, nurse, newPump, { ...simple(300), phase: 'maintenance' });
      assert.deepEqual([p.phase, p.limitPhase, p.comparedDoseMcgPerDay], ['maintenance', 'maintenance', 300]);
    });

    it("at a refill, maintenance on a pump's first prescription is refused naming newPrescription.phase", async () => {
      clock.set('2027-02-01T10:00:00.000Z');
      const pumpId = await pump(await patient('9990000166', '1970-01-01'), 'spinal');
      const before = await prescriptions();
      await rejects(
        recordRefill(deps, nurse, pumpId, {
          performedOn: '2027-02-01',
          expectedResidualMl: '5',
          withdrawnMl: '5',
          concentrationMcgPerMl: '500',
          batch: 'LB2',
          expiresOn: '2027-08-31',
          instilledMl: '20',
          alarmMl: '2',
          newPrescription: {
            programme: simple(150).programme,
            phase: 'maintenance',
            reason: 'From elsewhere',
          },
        }),
        'VALIDATION_FAILED',
        'newPrescription.phase',
      );
      assert.equal(await prescriptions(), before);
    });

    it('at a refill the child limit is judged on the refill date: 17 then, 18 by the day it is recorded', async () => {
      // Born 10 March 2009: 17 until 9 March 2027, 18 from 10 March.
      clock.set('2027-03-01T10:00:00.000Z');
      const pumpId = await pump(await patient('9990000174', '2009-03-10'), 'spinal');
      await establish(pumpId, simple(100));
      // Recorded on 15 March (18 today) for a refill done on 8 March (17 then).
      clock.set('2027-03-15T10:00:00.000Z');
      const refill = {
        performedOn: '2027-03-08',
        expectedResidualMl: '5',
        withdrawnMl: '5',
        concentrationMcgPerMl: '500',
        batch: 'LB3',
        expiresOn: '2027-09-30',
        instilledMl: '20',
        alarmMl: '2',
        newPrescription: { programme: simple(116).programme, phase: 'titration' },
      };
      const before = await prescriptions();
      const refillsBefore = await countRows(deps.db, 'refills');
      // 100 → 116 is +16 %: beyond the paediatric 15 % on 8 March, within the adult spinal 30 % today.
      const child = await rejects(
        recordRefill(deps, nurse, pumpId, refill),
        'VALIDATION_FAILED',
        'newPrescription.reason',
      );
      assert.match(
        child.fieldErrors[0]?.message ?? '',
        /changes by 16% .*beyond the 15% limit for a child under 18/,
      );
      assert.equal(await prescriptions(), before);
      assert.equal(await countRows(deps.db, 'refills'), refillsBefore);
      // The same change proposed on its own is made today, at 18: within the adult limit.
      const adult = await proposePrescription(deps, nurse, pumpId, simple(116));
      assert.deepEqual([adult.changePercent, adult.limitPercent, adult.withinLimit], [16, 30, true]);
    });
  });
}
