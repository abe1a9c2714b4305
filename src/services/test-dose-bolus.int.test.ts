import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { observedAt, refusedStoringNothing } from '../../test/support/test-dose-episode-setup.ts';
import { decidedAssessment } from '../../test/support/test-dose-fixtures.ts';
import { syntheticNhsNumbers } from '../demo/seed-demo.ts';
import { DEFAULT_PUMP_RULES } from '../domain/pump-rules.ts';
import type { Role } from '../domain/roles.ts';
import { actorOf, type Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import { createEpisode, viewEpisode } from './test-dose-service.ts';
import { recordBolus, recordObservation } from './test-dose-bolus-service.ts';
import { confirmResult } from './test-dose-result-service.ts';
import { type TestDoseServiceDeps } from './test-dose-support.ts';
import { latestPositiveTestDose } from '../storage/test-doses.repository.ts';
import { addUser } from './user-service.ts';

/**
 * The bolus and result controls in the service, on both databases: the hard limit on a test
 * bolus, the usual range below it (a reason, a stored BOLUS_OFF_LADDER warning), the second
 * person's check, and the effect duration that must be entered when a default could give the
 * higher starting dose. Every refusal stores nothing.
 */

const PRE_CHECKS = {
  noInfection: true,
  anticoagulantsReviewed: true,
  recentBotulinumToxin: false,
  oralAntispasmodicPlan: 'Continue oral baclofen',
  goals: 'Easier hygiene',
  // Recorded afterwards: started before every bolus these tests give (October and November 2026).
  startedAt: '2026-10-01T00:00:00Z',
};

const grades = (g: string) => [
  { muscleGroup: 'hip-adductors', side: 'left', grade: g },
  { muscleGroup: 'hip-adductors', side: 'right', grade: g },
];

for (const dialect of DIALECTS) {
  describe(`test-dose bolus and result controls on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: TestDoseServiceDeps;
    const clock = new TestClock('2026-11-24T10:00:00.000Z');
    let cora: Actor;
    let nina: Actor;
    let n = 0;
    const NHS = syntheticNhsNumbers(20);

    const refusedLeavingNothing = (work: () => Promise<unknown>, code: string, field?: string) =>
      refusedStoringNothing(deps.db, work, code, field);

    /** A new patient selected for a test dose, with an open episode started by Nina. */
    const openEpisode = async () => {
      const patientId = (
        await createPatient(
          { db: deps.db, clock, timeZone: 'Europe/London' },
          cora,
          {
            nhsNumber: NHS[n++] ?? '',
            givenName: `Patient${n}`,
            familyName: 'Test',
            dateOfBirth: '1970-01-01',
            sex: 'male',
          },
          // Test patients share a birthday and a name pattern: not duplicates.
          { confirmNotDuplicate: true },
        )
      ).id;
      const assessmentId = await decidedAssessment(deps, cora, patientId, {
        decision: 'proceed-to-test-dose',
      });
      return (await createEpisode(deps, nina, patientId, { ...PRE_CHECKS, assessmentId })).episode.id;
    };

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = { db, clock, config: { timeZone: 'Europe/London', pumpRules: DEFAULT_PUMP_RULES } };
      const add = async (username: string, displayName: string, role: Role) =>
        actorOf(
          await addUser({ db, clock }, null, {
            username,
            displayName,
            role,
            password: 'a-long-test-password',
          }),
          null,
        );
      cora = await add('cora', 'Cora Consultant', 'consultant');
      nina = await add('nina', 'Nina Nurse', 'nurse-specialist');
    });
    after(async () => {
      await database.dispose();
    });

    const bolus = {
      doseMcg: 50,
      route: 'lumbar-puncture',
      givenAt: '2026-11-24T09:00:00Z',
      checkedBy: 'Nina Nurse',
    };

    it('refuses a test bolus above 100 mcg, even with a reason, naming doseMcg', async () => {
      const id = await openEpisode();
      for (const doseMcg of [100.5, 125, 3000]) {
        const err = await refusedLeavingNothing(
          () => recordBolus(deps, cora, id, { ...bolus, doseMcg, offLadderReason: 'Consultant request' }),
          'VALIDATION_FAILED',
          'doseMcg',
        );
        assert.match(err.fieldErrors[0]?.message ?? '', /must be 100 mcg or less/);
      }
    });

    it('requires the second checker, never the giver, and keeps the name given', async () => {
      const id = await openEpisode();
      const unchecked = { doseMcg: bolus.doseMcg, route: bolus.route, givenAt: bolus.givenAt };
      const missing = await refusedLeavingNothing(
        () => recordBolus(deps, cora, id, unchecked),
        'VALIDATION_FAILED',
        'checkedBy',
      );
      assert.match(missing.fieldErrors[0]?.message ?? '', /second person who checked the dose drawn up/);
      // Cora Consultant records the bolus she gave and names herself as the checker.
      const self = await refusedLeavingNothing(
        () => recordBolus(deps, cora, id, { ...bolus, checkedBy: ' cora  consultant ' }),
        'VALIDATION_FAILED',
        'checkedBy',
      );
      assert.match(self.fieldErrors[0]?.message ?? '', /not you \(Cora Consultant\)/);
      const d = await recordBolus(deps, cora, id, bolus);
      assert.equal(d.boluses[0]?.checkedBy, 'Nina Nurse');
      assert.deepEqual(d.boluses[0].warnings, []);
    });

    it('accepts 60 mcg off the ladder only with a reason, keeping the BOLUS_OFF_LADDER warning', async () => {
      const id = await openEpisode();
      await refusedLeavingNothing(
        () => recordBolus(deps, nina, id, { ...bolus, doseMcg: 60, checkedBy: 'Cora Consultant' }),
        'VALIDATION_FAILED',
        'offLadderReason',
      );
      const d = await recordBolus(deps, nina, id, {
        ...bolus,
        doseMcg: 60,
        checkedBy: 'Cora Consultant',
        offLadderReason: 'Weighs 38 kg',
      });
      const b = d.boluses[0]!;
      assert.equal(b.offLadderReason, 'Weighs 38 kg');
      assert.deepEqual(b.warnings, [
        {
          code: 'BOLUS_OFF_LADDER',
          field: 'doseMcg',
          message: 'Dose 60 mcg is not the next step of the screening ladder (50 mcg)',
        },
      ]);
      assert.deepEqual((await viewEpisode(deps, cora, id)).boluses[0]?.warnings, b.warnings);
    });

    /** Gives 50 mcg with observations held (3, 3 → 1, 1) up to `heldTo` hours and gone after. */
    const positiveUpTo = async (heldTo: number) => {
      const id = await openEpisode();
      const b = (await recordBolus(deps, cora, id, bolus)).boluses[0]!.id;
      // The 8-hour observation is at 17:00; back to 10:00 for the next test's bolus.
      clock.set('2026-11-24T18:00:00.000Z');
      for (const hour of [0, 2, 4, 6, 8]) {
        const g = hour === 0 ? '3' : hour <= heldTo ? '1' : '2';
        await recordObservation(deps, nina, id, b, {
          hour,
          observedAt: observedAt(bolus.givenAt, hour),
          mas: grades(g),
        });
      }
      clock.set('2026-11-24T10:00:00.000Z');
      return { id, b };
    };

    it('requires the effect duration when the drop held at 8 h, the last observation; 10 h gives the dose itself', async () => {
      const { id, b } = await positiveUpTo(8);
      const err = await refusedLeavingNothing(
        () => confirmResult(deps, cora, id, b, { result: 'positive', adverseReactions: false }),
        'VALIDATION_FAILED',
        'effectHours',
      );
      assert.match(err.fieldErrors[0]?.message ?? '', /still held at 8 hours, the last observation/);
      await refusedLeavingNothing(
        () =>
          confirmResult(deps, cora, id, b, { result: 'positive', effectHours: 6, adverseReactions: false }),
        'VALIDATION_FAILED',
        'effectHours',
      );
      const d = await confirmResult(deps, cora, id, b, {
        result: 'positive',
        effectHours: 10,
        adverseReactions: false,
      });
      // 10 h > 8 h: the starting dose is the test dose itself, 50 mcg/day [LABEL-SKY].
      assert.deepEqual(d.outcome?.startingDose, { dailyDoseMcg: 50, rule: 'same' });
    });

    it('defaults 6 h when the drop held at 6 h and had gone at 8 h with the 8 h rule: 50 × 2 = 100', async () => {
      const { id, b } = await positiveUpTo(6);
      const d = await confirmResult(deps, cora, id, b, { result: 'positive', adverseReactions: false });
      assert.equal(d.outcome?.effectHours, 6);
      assert.deepEqual(d.outcome.startingDose, { dailyDoseMcg: 100, rule: 'double' });
    });

    it('requires it for the same observations when START_DOSE_LONG_EFFECT_HOURS is 6', async () => {
      const { id, b } = await positiveUpTo(6);
      const six = {
        ...deps,
        config: { ...deps.config, pumpRules: { ...DEFAULT_PUMP_RULES, startDoseLongEffectHours: 6 } },
      };
      const err = await refusedLeavingNothing(
        () => confirmResult(six, cora, id, b, { result: 'positive', adverseReactions: false }),
        'VALIDATION_FAILED',
        'effectHours',
      );
      assert.match(
        err.fieldErrors[0]?.message ?? '',
        /held at 6 hours and had gone by 8 hours.*over 6 hours/,
      );
      const d = await confirmResult(six, cora, id, b, {
        result: 'positive',
        effectHours: 7,
        adverseReactions: false,
      });
      // 7 h > 6 h: the dose itself.
      assert.deepEqual(d.outcome?.startingDose, { dailyDoseMcg: 50, rule: 'same' });
    });

    it('gives no starting dose from an older record of a positive test dose above 100 mcg', async () => {
      const { id, b } = await positiveUpTo(6);
      await confirmResult(deps, cora, id, b, { result: 'positive', adverseReactions: false });
      // Before the limit, 150 mcg could be given with an off-ladder reason.
      await deps.db.updateTable('test_dose_boluses').set({ dose_mcg: 150 }).where('id', '=', b).execute();
      const d = await viewEpisode(deps, cora, id);
      assert.equal(d.outcome?.startingDose, null);
      assert.match(d.outcome.startingDoseRefused ?? '', /must be 100 mcg or less/);
      // The prescription side reads the same record: startingDose() bounds it at 2 × 100 = 200.
      const positive = await latestPositiveTestDose(deps.db, d.patient.id);
      assert.equal(positive?.doseMcg, 150);
    });
  });
}
