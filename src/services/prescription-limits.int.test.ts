import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import type { ClinicalWarning } from '../domain/clinical-warning.ts';
import { DEFAULT_PUMP_RULES } from '../domain/pump-rules.ts';
import { findPrescriptionById, type Prescription } from '../storage/prescriptions.repository.ts';
import type { Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import { confirmPrescription, proposePrescription, rejectPrescription } from './prescription-service.ts';
import { registerPump } from './pump-service.ts';
import { recordRefill } from './refill-service.ts';
import { type RefillServiceDeps } from './refill-common.ts';
import { signRefill } from './refill-sign-service.ts';
import { addUser } from './user-service.ts';

/**
 * The two bands on a prescription, through the service on both databases: a hard limit is
 * refused whatever the reason, a warning only without one; warnings are stored with the
 * prescription and returned with it; a refusal stores nothing. The clock starts on Friday
 * 20 November 2026.
 */

const simple = (doseMcgPerDay: number, extra: Record<string, unknown> = {}) => ({
  concentrationMcgPerMl: 500,
  phase: 'titration',
  programme: { mode: 'simple', doseMcgPerDay, schedules: [], bolus: null, ...extra },
});
const codes = (warnings: readonly ClinicalWarning[]) => warnings.map((w) => w.code);

for (const dialect of DIALECTS) {
  describe(`prescription limits on ${dialect}`, () => {
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
          serialNumber: `LIM${String((serial += 1))}`,
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
    const rejectPending = async (p: Prescription) => {
      await rejectPrescription(deps, consultant, p.id, { note: 'Test: withdrawn' });
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

    it('a dose outside the usual range needs the reason; the warnings are stored and returned with it', async () => {
      const pumpId = await pump(await patient('9990000018', '1961-03-14'), 'spinal');
      // 2,500 mcg/day at 2,000 mcg/mL: above the usual 12–2,000; and no positive test dose.
      const high = { ...simple(2500), concentrationMcgPerMl: 2000 };
      const refused = await rejects(
        proposePrescription(deps, nurse, pumpId, high),
        'VALIDATION_FAILED',
        'reason',
      );
      assert.match(
        refused.fieldErrors[0]?.message ?? '',
        /^Give the reason: Daily dose: 2,500 mcg\/day is above the usual/,
      );
      assert.deepEqual(codes(refused.details.warnings as ClinicalWarning[]), [
        'DOSE_OUTSIDE_USUAL_RANGE',
        'NO_POSITIVE_TEST_DOSE',
      ]);
      assert.equal(await prescriptions(), 0);
      const p = await proposePrescription(deps, nurse, pumpId, {
        ...high,
        reason: 'Long-standing dose from another centre',
      });
      assert.deepEqual(codes(p.warnings), ['DOSE_OUTSIDE_USUAL_RANGE', 'NO_POSITIVE_TEST_DOSE']);
      assert.equal(p.warnings[0]?.field, 'programme.doseMcgPerDay');
      const stored = await findPrescriptionById(deps.db, p.id);
      assert.ok(stored);
      assert.deepEqual(stored.warnings, p.warnings);
      assert.equal(stored.reason, 'Long-standing dose from another centre');
    });

    it('a unit slip inside the hard limits is a warning with its did-you-mean; below them it is refused', async () => {
      const pumpId = await pump(await patient('9990000026', '1970-01-01'), 'spinal', {
        modelId: 'prometra-ii',
      });
      const slip = await rejects(
        proposePrescription(deps, nurse, pumpId, simple(1.5)),
        'VALIDATION_FAILED',
        'reason',
      );
      const [warning] = slip.details.warnings as [ClinicalWarning];
      assert.equal(warning.didYouMean, 1500);
      assert.match(warning.message, /did you mean 1,500 mcg\/day \(1\.5 mg\)\?/);
      const milligrams = await rejects(
        proposePrescription(deps, nurse, pumpId, { ...simple(0.4), reason: 'as written' }),
        'VALIDATION_FAILED',
        'programme.doseMcgPerDay',
      );
      assert.match(milligrams.fieldErrors[0]?.message ?? '', /did you mean 400 mcg\/day\?/);
      await rejects(
        proposePrescription(deps, nurse, pumpId, { ...simple(3001), reason: 'as written' }),
        'VALIDATION_FAILED',
        'programme.doseMcgPerDay',
      );
      assert.equal(await prescriptions(), 1);
    });

    it('refuses a strength the service does not stock and a volume the pump cannot deliver, whatever the reason', async () => {
      const pumpId = await pump(await patient('9990000034', '1970-01-01'), 'spinal');
      const before = await prescriptions();
      const reason = { reason: 'Pharmacy made it up' };
      const odd = await rejects(
        proposePrescription(deps, nurse, pumpId, { ...simple(400), concentrationMcgPerMl: 750, ...reason }),
        'VALIDATION_FAILED',
        'concentrationMcgPerMl',
      );
      assert.match(
        odd.fieldErrors[0]?.message ?? '',
        /strengths the service stocks: 500, 1,000 or 2,000 mcg\/mL/,
      );
      const screening = await rejects(
        proposePrescription(deps, nurse, pumpId, { ...simple(400), concentrationMcgPerMl: 50, ...reason }),
        'VALIDATION_FAILED',
        'concentrationMcgPerMl',
      );
      assert.match(screening.fieldErrors[0]?.message ?? '', /screening strength, for test doses only/);
      // 80 ÷ 2,000 = 0.04 mL/day, under the SynchroMed II's 0.048.
      const slow = await rejects(
        proposePrescription(deps, nurse, pumpId, { ...simple(80), concentrationMcgPerMl: 2000, ...reason }),
        'VALIDATION_FAILED',
        'programme.doseMcgPerDay',
      );
      assert.match(slow.fieldErrors[0]?.message ?? '', /0\.04 mL a day, less than the SynchroMed II/);
      assert.equal(await prescriptions(), before);
      // 96 ÷ 2,000 = 0.048 mL/day: deliverable.
      const ok = await proposePrescription(deps, nurse, pumpId, {
        ...simple(96),
        concentrationMcgPerMl: 2000,
        ...reason,
      });
      assert.equal(ok.state, 'pending');
    });

    it('a bolus larger than 10 % of the day needs a reason; 10 % exactly does not', async () => {
      const pumpId = await pump(await patient('9990000042', '1970-01-01'), 'spinal');
      await establish(pumpId, simple(400));
      twoDaysLater();
      const bolus = (doseMcg: number) => ({ doseMcg, maxPerDay: 1, lockoutMinutes: 120 });
      // 400 + 1 × 40 = 440 is +10 % with boluses: within the 30 % spinal titration limit.
      const atLimit = await proposePrescription(deps, nurse, pumpId, simple(400, { bolus: bolus(40) }));
      assert.deepEqual(atLimit.warnings, []);
      await rejectPending(atLimit);
      const over = await rejects(
        proposePrescription(deps, nurse, pumpId, simple(400, { bolus: bolus(41) })),
        'VALIDATION_FAILED',
        'reason',
      );
      // 41 ÷ 400 = 10.25 %.
      assert.deepEqual(codes(over.details.warnings as ClinicalWarning[]), ['BOLUS_LARGE_SHARE']);
      assert.equal((over.details.warnings as ClinicalWarning[])[0]?.field, 'programme.bolus.doseMcg');
    });

    it('takes the phase from the pump history: a spinal pump never confirmed in maintenance keeps the titration limits', async () => {
      const pumpId = await pump(await patient('9990000050', '1970-01-01'), 'spinal');
      await establish(pumpId, simple(100));
      twoDaysLater();
      // 100 → 125 is +25 %: inside spinal titration's 30 %, beyond maintenance's 20 %. The
      // prescriber sends "maintenance"; the pump has never had a maintenance dose confirmed.
      const p = await proposePrescription(deps, nurse, pumpId, { ...simple(125), phase: 'maintenance' });
      assert.equal(p.limitPhase, 'titration');
      assert.equal(p.limitPercent, 30);
      assert.equal(p.withinLimit, true);
      assert.deepEqual(p.warnings, []);
      await confirmPrescription(deps, consultant, p.id, {});
      twoDaysLater();
      // Now a maintenance dose is confirmed: 125 → 156 (+24.8 %) is beyond ±20 %, whatever is sent.
      const refused = await rejects(
        proposePrescription(deps, nurse, pumpId, { ...simple(156), phase: 'titration' }),
        'VALIDATION_FAILED',
        'reason',
      );
      assert.match(
        refused.fieldErrors[0]?.message ?? '',
        /changes by 24\.8% against the dose 24 hours ago, beyond the 20% limit for maintenance/,
      );
      const explained = await proposePrescription(deps, nurse, pumpId, {
        ...simple(156),
        phase: 'titration',
        reason: 'Spasms',
      });
      assert.equal(explained.limitPhase, 'maintenance');
      assert.deepEqual(codes(explained.warnings), ['DOSE_CHANGE_BEYOND_LIMIT']);
    });

    it('a cerebral pump in titration cannot get +20 % by claiming maintenance', async () => {
      const pumpId = await pump(await patient('9990000069', '1970-01-01'), 'cerebral');
      await establish(pumpId, simple(100));
      twoDaysLater();
      const before = await prescriptions();
      const refused = await rejects(
        proposePrescription(deps, nurse, pumpId, { ...simple(120), phase: 'maintenance' }),
        'VALIDATION_FAILED',
        'reason',
      );
      assert.match(
        refused.fieldErrors[0]?.message ?? '',
        /beyond the 15% limit for titration, cerebral origin/,
      );
      assert.equal(await prescriptions(), before);
    });

    it('a child (12 on the day) going 100 → 116 mcg/day needs a reason; an adult in spinal titration does not', async () => {
      const childPump = await pump(await patient('9990000077', '2014-05-01'), 'spinal');
      const adultPump = await pump(await patient('9990000085', '1990-05-01'), 'spinal');
      await establish(childPump, simple(100));
      await establish(adultPump, simple(100));
      twoDaysLater();
      const child = await rejects(
        proposePrescription(deps, nurse, childPump, simple(116)),
        'VALIDATION_FAILED',
        'reason',
      );
      assert.match(
        child.fieldErrors[0]?.message ?? '',
        /changes by 16% .*beyond the 15% limit for a child under 18/,
      );
      const adult = await proposePrescription(deps, nurse, adultPump, simple(116));
      assert.deepEqual([adult.changePercent, adult.limitPercent, adult.withinLimit], [16, 30, true]);
    });

    it('from 500 mcg/day up a rise above 20 % needs a reason, even in spinal titration: 600 → 740', async () => {
      const pumpId = await pump(await patient('9990000093', '1970-01-01'), 'spinal');
      await establish(pumpId, { ...simple(600), concentrationMcgPerMl: 2000 });
      twoDaysLater();
      const refused = await rejects(
        proposePrescription(deps, nurse, pumpId, { ...simple(740), concentrationMcgPerMl: 2000 }),
        'VALIDATION_FAILED',
        'reason',
      );
      // (740 − 600) ÷ 600 = 23.33 %.
      assert.match(
        refused.fieldErrors[0]?.message ?? '',
        /23\.33% .*beyond the 20% limit for a rise from 500 mcg\/day or more/,
      );
      const within = await proposePrescription(deps, nurse, pumpId, {
        ...simple(720),
        concentrationMcgPerMl: 2000,
      });
      assert.deepEqual(within.warnings, []);
    });

    it('refuses more than ten times or under a tenth even with a reason; the continuous dose and the most in a day', async () => {
      const pumpId = await pump(await patient('9990000107', '1970-01-01'), 'spinal', {
        modelId: 'prometra-ii',
      });
      await establish(pumpId, simple(100));
      twoDaysLater();
      const before = await prescriptions();
      const reason = { reason: 'As the consultant wrote it' };
      const tenfold = await rejects(
        proposePrescription(deps, nurse, pumpId, { ...simple(1001), ...reason }),
        'VALIDATION_FAILED',
        'programme.doseMcgPerDay',
      );
      assert.match(tenfold.fieldErrors[0]?.message ?? '', /from 100 to 1,001 mcg\/day .*more than 10 times/);
      await rejects(
        proposePrescription(deps, nurse, pumpId, { ...simple(9.9), ...reason }),
        'VALIDATION_FAILED',
        'programme.doseMcgPerDay',
      );
      // 100 continuous + 1 × 950 bolus = 1,050 in a day: 10.5 times the 100 before.
      await rejects(
        proposePrescription(deps, nurse, pumpId, {
          ...simple(100, { bolus: { doseMcg: 950, maxPerDay: 1, lockoutMinutes: 60 } }),
          ...reason,
        }),
        'VALIDATION_FAILED',
        'programme.bolus.doseMcg',
      );
      assert.equal(await prescriptions(), before);
      // Exactly ten times is a warning, not a refusal.
      const ten = await proposePrescription(deps, nurse, pumpId, { ...simple(1000), ...reason });
      assert.deepEqual(codes(ten.warnings), ['DOSE_CHANGE_BEYOND_LIMIT']);
    });

    it("compares a replacement pump's first prescription with the replaced pump's dose, not the test dose", async () => {
      const patientId = await patient('9990000115', '1970-01-01');
      const oldPump = await pump(patientId, 'spinal');
      await establish(oldPump, simple(400));
      twoDaysLater();
      const newPump = await pump(patientId, 'spinal', { replacesPumpId: oldPump, implantedOn: '2026-11-20' });
      // The same dose the patient is on: nothing to explain (no NO_POSITIVE_TEST_DOSE).
      const same = await proposePrescription(deps, nurse, newPump, simple(400));
      assert.equal(same.comparedDoseMcgPerDay, 400);
      assert.deepEqual(same.warnings, []);
      await rejectPending(same);
      // 400 → 600 is +50 %: beyond the spinal titration 30 %.
      const steep = await rejects(
        proposePrescription(deps, nurse, newPump, simple(600)),
        'VALIDATION_FAILED',
        'reason',
      );
      assert.match(
        steep.fieldErrors[0]?.message ?? '',
        /changes by 50% against the dose on the pump this one replaces/,
      );
    });

    it('at a refill: an unstocked strength is refused, and a warning needs newPrescription.reason', async () => {
      clock.set('2026-12-10T10:00:00.000Z');
      const pumpId = await pump(await patient('9990000123', '1970-01-01'), 'spinal');
      await establish(pumpId, simple(150));
      twoDaysLater();
      const refill = {
        performedOn: '2026-12-12',
        expectedResidualMl: '5',
        withdrawnMl: '5',
        concentrationMcgPerMl: '750',
        batch: 'LB1',
        expiresOn: '2027-06-30',
        instilledMl: '20',
        alarmMl: '2',
        newPrescription: { programme: simple(150).programme, phase: 'titration' },
      };
      const before = await prescriptions();
      await rejects(recordRefill(deps, nurse, pumpId, refill), 'VALIDATION_FAILED', 'concentrationMcgPerMl');
      // 150 → 150 with a bolus of 20: 13.33 % of the day.
      const withBolus = {
        ...refill,
        concentrationMcgPerMl: '500',
        newPrescription: {
          programme: simple(150, { bolus: { doseMcg: 20, maxPerDay: 1, lockoutMinutes: 120 } }).programme,
          phase: 'titration',
        },
      };
      await rejects(
        recordRefill(deps, nurse, pumpId, withBolus),
        'VALIDATION_FAILED',
        'newPrescription.reason',
      );
      assert.equal(await prescriptions(), before);
      assert.equal(await countRows(deps.db, 'refills'), 0);
      const done = await recordRefill(deps, nurse, pumpId, {
        ...withBolus,
        newPrescription: { ...withBolus.newPrescription, reason: 'Bolus for stretching' },
      });
      const p = await findPrescriptionById(deps.db, done.prescriptionId);
      assert.deepEqual(codes(p?.warnings ?? []), ['BOLUS_LARGE_SHARE']);
      await signRefill(deps, consultant, done.id, { version: done.version });
      // Outside a refill an unstocked strength is named as such, before the rule that a new
      // strength waits for a refill.
      twoDaysLater();
      const odd = await rejects(
        proposePrescription(deps, nurse, pumpId, { ...simple(150), concentrationMcgPerMl: 750, reason: 'x' }),
        'VALIDATION_FAILED',
        'concentrationMcgPerMl',
      );
      assert.match(odd.fieldErrors[0]?.message ?? '', /strengths the service stocks/);
    });
  });
}
