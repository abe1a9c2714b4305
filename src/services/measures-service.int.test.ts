import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { roundTo2 } from '../domain/gas.ts';
import { type Actor } from './audit-service.ts';
import {
  newMeasureSetContext,
  patientMeasures,
  recordMeasureSet,
  type MeasuresServiceDeps,
} from './measures-service.ts';
import { createPatient } from './patient-service.ts';
import { addUser } from './user-service.ts';
import { sealAndVerify } from '../../test/support/audit-chain.ts';

const BASELINE = {
  recordedOn: '2026-11-10',
  occasion: 'assessment',
  mas: [
    { muscleGroup: 'hip-adductors', side: 'left', grade: '3' },
    { muscleGroup: 'hip-adductors', side: 'right', grade: '1+' },
  ],
  pennFrequency: 3,
  pennSeverity: 2,
  painNrs: 7,
  gasGoals: [
    { text: 'Sit in wheelchair for 2 hours', weight: 1, baseline: -1 },
    { text: 'Easier perineal care', weight: 1, baseline: -1 },
    { text: 'Sleep through the night', weight: 1, baseline: -1 },
  ],
};

for (const dialect of DIALECTS) {
  describe(`outcome measures on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: MeasuresServiceDeps;
    const clock = new TestClock('2026-11-24T10:00:00.000Z');
    let physio: Actor;
    let patientId = '';
    let otherPatientId = '';
    let assessmentId = '';
    let otherAssessmentId = '';

    // A fresh database for each test: a physiotherapist, Ann and Tom, and an assessment of each.
    beforeEach(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = { db, clock, config: { timeZone: 'Europe/London' } };
      const u = await addUser({ db, clock }, null, {
        username: 'pat',
        displayName: 'Pat Physio',
        role: 'physiotherapist',
        password: 'a-long-test-password',
      });
      physio = { userId: u.id, username: 'pat', role: 'physiotherapist', requestId: null };
      const svc = { db, clock, timeZone: 'Europe/London' };
      patientId = (
        await createPatient(svc, physio, {
          nhsNumber: '4857773457',
          givenName: 'Ann',
          familyName: 'Smith',
          dateOfBirth: '1961-03-14',
          sex: 'female',
        })
      ).id;
      otherPatientId = (
        await createPatient(svc, physio, {
          nhsNumber: '9434765919',
          givenName: 'Tom',
          familyName: 'Jones',
          dateOfBirth: '1975-07-02',
          sex: 'male',
        })
      ).id;
      // Assessments belong to the selection work; a bare row is enough to link a set to.
      const at = clock.now().toISOString();
      await db
        .insertInto('selection_protocols')
        .values({
          id: 'proto-1',
          code: 'adult',
          version: 1,
          title: 'Adult selection',
          population: 'adult',
          definition: '{}',
          definition_hash: 'x',
          created_at: at,
          created_by: u.id,
        })
        .execute();
      const assessment = (id: string, pid: string) => ({
        id,
        patient_id: pid,
        referral_id: null,
        protocol_id: 'proto-1',
        answers: '{}',
        state: 'in-progress',
        created_at: at,
        created_by: u.id,
        updated_at: at,
        updated_by: u.id,
        version: 1,
      });
      assessmentId = 'assess-ann';
      otherAssessmentId = 'assess-tom';
      await db
        .insertInto('selection_assessments')
        .values([assessment(assessmentId, patientId), assessment(otherAssessmentId, otherPatientId)])
        .execute();
    });
    afterEach(async () => {
      await database.dispose();
    });

    it('refuses bad input, an unknown patient and another patient’s assessment, storing nothing', async () => {
      const sets = await countRows(deps.db, 'outcome_measure_sets');
      const audits = await countRows(deps.db, 'audit_events');
      await rejects(
        recordMeasureSet(deps, physio, patientId, {
          ...BASELINE,
          mas: [{ muscleGroup: 'hip-adductors', side: 'left', grade: 1.5 }],
        }),
        'VALIDATION_FAILED',
        'mas.0.grade',
      );
      await rejects(
        recordMeasureSet(deps, physio, patientId, { ...BASELINE, pennFrequency: 0, pennSeverity: 2 }),
        'VALIDATION_FAILED',
        'pennSeverity',
      );
      await rejects(
        recordMeasureSet(deps, physio, patientId, {
          ...BASELINE,
          gasGoals: [{ text: 'Transfers', weight: 2, baseline: -1, achieved: 3 }],
        }),
        'VALIDATION_FAILED',
        'gasGoals.0.achieved',
      );
      await rejects(
        recordMeasureSet(deps, physio, patientId, { ...BASELINE, recordedOn: '2026-11-25' }),
        'VALIDATION_FAILED',
        'recordedOn',
      );
      await rejects(
        recordMeasureSet(deps, physio, patientId, { recordedOn: '2026-11-10', occasion: 'review' }),
        'VALIDATION_FAILED',
        'measures',
      );
      await rejects(
        recordMeasureSet(deps, physio, patientId, { ...BASELINE, assessmentId: otherAssessmentId }),
        'VALIDATION_FAILED',
        'assessmentId',
      );
      await rejects(
        recordMeasureSet(deps, physio, patientId, { ...BASELINE, assessmentId: 'no-such-assessment' }),
        'VALIDATION_FAILED',
        'assessmentId',
      );
      await rejects(recordMeasureSet(deps, physio, 'no-such-patient', BASELINE), 'NOT_FOUND');
      assert.equal(await countRows(deps.db, 'outcome_measure_sets'), sets);
      assert.equal(await countRows(deps.db, 'audit_events'), audits);
    });

    it('records a baseline set linked to the assessment, grades as text, with its audit row', async () => {
      const set = await recordMeasureSet(deps, physio, patientId, { ...BASELINE, assessmentId });
      assert.equal(set.assessmentId, assessmentId);
      assert.deepEqual(
        set.mas.map((m) => m.grade),
        ['3', '1+'],
      );
      assert.equal(roundTo2(set.baselineTScore ?? 0), 36.31);
      assert.equal(set.achievedTScore, null);
      const row = await deps.db
        .selectFrom('outcome_measure_sets')
        .select(['mas', 'penn_severity'])
        .where('id', '=', set.id)
        .executeTakeFirstOrThrow();
      assert.match(row.mas, /"grade":"1\+"/);
      assert.equal(row.penn_severity, 2);
      const audit = await deps.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'measures.record')
        .executeTakeFirstOrThrow();
      assert.equal(audit.entity_id, set.id);
      assert.equal(audit.patient_id, patientId);
      assert.equal(audit.user_id, physio.userId);
      assert.doesNotMatch(audit.details, /wheelchair/, 'goal text stays out of the audit trail');
    });

    it('carries the latest goals forward and lists sets oldest first with T-scores and pain change', async () => {
      await recordMeasureSet(deps, physio, patientId, { ...BASELINE, assessmentId });
      const ctx = await newMeasureSetContext(deps, physio, patientId);
      assert.equal(ctx.latestGoals.length, 3);
      assert.deepEqual(
        ctx.assessments.map((a) => a.id),
        [assessmentId],
      );
      await recordMeasureSet(deps, physio, patientId, {
        recordedOn: '2026-11-24',
        occasion: 'review',
        painNrs: 4,
        pennFrequency: 1,
        pennSeverity: 1,
        gasGoals: ctx.latestGoals.map((g, i) => ({ ...g, achieved: i })),
      });
      // Entered later but taken earlier: it sorts by the date taken.
      await recordMeasureSet(deps, physio, patientId, {
        recordedOn: '2026-11-01',
        occasion: 'other',
        painNrs: 8,
      });
      const before = await countRows(deps.db, 'audit_events');
      const { patient, sets } = await patientMeasures(deps, physio, patientId);
      assert.equal(patient.id, patientId);
      assert.deepEqual(
        sets.map((s) => s.recordedOn),
        ['2026-11-01', '2026-11-10', '2026-11-24'],
      );
      const review = sets[2]!;
      assert.equal(roundTo2(review.achievedTScore ?? 0), 63.69);
      assert.equal(roundTo2(review.baselineTScore ?? 0), 36.31);
      assert.deepEqual(
        sets.map((s) => s.painChange),
        [
          { change: null, meaningful: false },
          { change: -1, meaningful: false },
          { change: -3, meaningful: true },
        ],
      );
      assert.equal(await countRows(deps.db, 'audit_events'), before + 1);
      const view = await deps.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'measures.view')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(view.patient_id, patientId);
      const other = await patientMeasures(deps, physio, otherPatientId);
      assert.equal(other.sets.length, 0);
      assert.equal((await sealAndVerify(deps.db)).problem, null);
    });
  });
}
