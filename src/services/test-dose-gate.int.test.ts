import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { refusedStoringNothing } from '../../test/support/test-dose-episode-setup.ts';
import { decidedAssessment, type AssessmentFixture } from '../../test/support/test-dose-fixtures.ts';
import { syntheticNhsNumbers } from '../demo/seed-demo.ts';
import { DEFAULT_PUMP_RULES } from '../domain/pump-rules.ts';
import type { Role } from '../domain/roles.ts';
import type { Database } from '../storage/database.ts';
import { actorOf, type Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import { abandonEpisode, createEpisode, viewEpisode } from './test-dose-service.ts';
import { testDoseStartOptions } from './test-dose-gate-service.ts';
import { patientOverrides, recordOverride, withdrawOverride } from './test-dose-override-service.ts';
import { type TestDoseServiceDeps } from './test-dose-support.ts';
import { addUser } from './user-service.ts';
import { sealAndVerify } from '../../test/support/audit-chain.ts';

/**
 * The bedside gate (test-dose-gate.ts) on both databases: an episode starts only from a
 * selection assessment whose standing decision is to proceed to a test dose and whose answers
 * meet no absolute contraindication, or on a consultant's override, recorded with a reason,
 * used by someone else, once. Every refusal stores nothing.
 */

const PRE_CHECKS = {
  noInfection: true,
  anticoagulantsReviewed: true,
  recentBotulinumToxin: false,
  oralAntispasmodicPlan: 'Continue oral baclofen',
  goals: 'Easier hygiene and sitting for longer',
  // Recorded afterwards: started before every bolus these tests give (October and November 2026).
  startedAt: '2026-10-01T00:00:00Z',
};

const TABLES: (keyof Database)[] = [
  'test_dose_episodes',
  'test_dose_boluses',
  'test_dose_overrides',
  'selection_assessments',
  'audit_events',
];

const NHS_NUMBERS = syntheticNhsNumbers(20);

for (const dialect of DIALECTS) {
  describe(`the test-dose gate on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: TestDoseServiceDeps;
    const clock = new TestClock('2026-11-24T10:00:00.000Z');
    let cora: Actor; // consultant: makes the selection decisions
    let carl: Actor; // a second consultant
    let nina: Actor; // nurse specialist: starts the episodes
    let pat: Actor; // physiotherapist: cannot record an override
    let patients = 0;

    const newPatient = async () =>
      (
        await createPatient(
          { db: deps.db, clock, timeZone: 'Europe/London' },
          cora,
          {
            nhsNumber: NHS_NUMBERS[patients++] ?? '',
            givenName: `Patient${patients}`,
            familyName: 'Test',
            dateOfBirth: '1970-01-01',
            sex: 'female',
          },
          // Test patients share a birthday and a name pattern: not duplicates.
          { confirmNotDuplicate: true },
        )
      ).id;
    const assessed = (patientId: string, fixture: AssessmentFixture) =>
      decidedAssessment(deps, cora, patientId, fixture);

    const refusedLeavingNothing = (work: () => Promise<unknown>, code: string, field?: string) =>
      refusedStoringNothing(deps.db, work, code, field, TABLES);

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = { db, clock, config: { timeZone: 'Europe/London', pumpRules: DEFAULT_PUMP_RULES } };
      const add = async (username: string, role: Role) =>
        actorOf(
          await addUser({ db, clock }, null, {
            username,
            displayName: `Test ${username}`,
            role,
            password: 'a-long-test-password',
          }),
          null,
        );
      cora = await add('cora', 'consultant');
      carl = await add('carl', 'consultant');
      nina = await add('nina', 'nurse-specialist');
      pat = await add('pat', 'physiotherapist');
    });
    after(async () => {
      await database.dispose();
    });

    let ann = '';
    it('refuses an episode with no assessment, naming assessmentId, and stores nothing', async () => {
      ann = await newPatient();
      const err = await refusedLeavingNothing(
        () => createEpisode(deps, nina, ann, PRE_CHECKS),
        'VALIDATION_FAILED',
        'assessmentId',
      );
      assert.match(
        err.fieldErrors[0]?.message ?? '',
        /Select the selection assessment that decided to proceed/,
      );
    });

    it('refuses an assessment decided not suitable, deferred, or waiting for the MDT', async () => {
      for (const fixture of [
        { decision: 'not-suitable' },
        { decision: 'defer' },
        { decision: 'discuss-at-mdt' },
        { decision: 'discuss-at-mdt', mdt: 'defer' },
      ] as const) {
        const assessmentId = await assessed(ann, fixture);
        const err = await refusedLeavingNothing(
          () => createEpisode(deps, nina, ann, { ...PRE_CHECKS, assessmentId }),
          'VALIDATION_FAILED',
          'assessmentId',
        );
        assert.match(
          err.fieldErrors[0]?.message ?? '',
          /not "Proceed to test dose"/,
          JSON.stringify(fixture),
        );
      }
    });

    it('allows an assessment decided proceed, and an MDT outcome proceed after "discuss at MDT"', async () => {
      const assessmentId = await assessed(ann, { decision: 'proceed-to-test-dose' });
      const d = await createEpisode(deps, nina, ann, { ...PRE_CHECKS, assessmentId });
      assert.equal(d.episode.assessmentId, assessmentId);
      assert.equal(d.override, null);
      await abandonEpisode(deps, nina, d.episode.id, { reason: 'Next case' });
      const viaMdt = await assessed(ann, { decision: 'discuss-at-mdt', mdt: 'proceed-to-test-dose' });
      const m = await createEpisode(deps, nina, ann, { ...PRE_CHECKS, assessmentId: viaMdt });
      assert.equal(m.episode.state, 'open');
      await abandonEpisode(deps, nina, m.episode.id, { reason: 'Next case' });
    });

    let bob = '';
    let allergic = '';
    it('refuses proceed with the allergy answered yes unless an override exists', async () => {
      bob = await newPatient();
      allergic = await assessed(bob, { decision: 'proceed-to-test-dose', allergy: true });
      const err = await refusedLeavingNothing(
        () => createEpisode(deps, nina, bob, { ...PRE_CHECKS, assessmentId: allergic }),
        'VALIDATION_FAILED',
        'assessmentId',
      );
      assert.match(
        err.fieldErrors[0]?.message ?? '',
        /absolute contraindication: [^;.]*allergic reaction to oral baclofen/,
      );
      const options = await testDoseStartOptions(deps, nina, bob);
      assert.equal(options.canStart, false);
      // Whatever the latest adult protocol version calls it, the allergy is the one found.
      assert.equal(options.assessments[0]?.absoluteContraindications.length, 1);
      assert.match(
        options.assessments[0].absoluteContraindications[0] ?? '',
        /allergic reaction to oral baclofen/,
      );
    });

    it('records overrides only by consultants, with a reason, one waiting at a time', async () => {
      await refusedLeavingNothing(
        () => recordOverride(deps, nina, bob, { reason: 'Not an allergy' }),
        'FORBIDDEN',
      );
      await refusedLeavingNothing(() => recordOverride(deps, pat, bob, { reason: 'x' }), 'FORBIDDEN');
      await refusedLeavingNothing(
        () => recordOverride(deps, carl, bob, { reason: '  ' }),
        'VALIDATION_FAILED',
        'reason',
      );
      await refusedLeavingNothing(() => recordOverride(deps, carl, 'nobody', { reason: 'x' }), 'NOT_FOUND');
      const o = await recordOverride(deps, carl, bob, {
        reason: 'Allergy clinic: the 2019 reaction to oral baclofen was nausea, not an allergy',
      });
      assert.equal(o.state, 'available');
      assert.equal(o.createdBy, carl.userId);
      assert.equal(o.createdByName, 'Test carl');
      const waiting = await refusedLeavingNothing(
        () => recordOverride(deps, cora, bob, { reason: 'A second one' }),
        'INVALID_STATE',
      );
      assert.equal(waiting.reason, 'OVERRIDE_ALREADY_WAITING');
    });

    it('refuses the override when its author starts the episode, or when the author made the decision', async () => {
      const o = (await patientOverrides(deps, cora, bob)).overrides[0]!;
      const own = await refusedLeavingNothing(
        () => createEpisode(deps, carl, bob, { ...PRE_CHECKS, assessmentId: allergic, overrideId: o.id }),
        'VALIDATION_FAILED',
        'overrideId',
      );
      assert.match(own.fieldErrors[0]?.message ?? '', /You recorded this override/);
      // Cora decided to proceed on the allergic assessment: her own override is no second opinion.
      const dan = await newPatient();
      const danAssessment = await assessed(dan, { decision: 'proceed-to-test-dose', allergy: true });
      const coraOverride = await recordOverride(deps, cora, dan, { reason: 'I think it is safe' });
      const decider = await refusedLeavingNothing(
        () =>
          createEpisode(deps, nina, dan, {
            ...PRE_CHECKS,
            assessmentId: danAssessment,
            overrideId: coraOverride.id,
          }),
        'VALIDATION_FAILED',
        'overrideId',
      );
      assert.match(decider.fieldErrors[0]?.message ?? '', /consultant who made the selection decision/);
      await refusedLeavingNothing(
        () => createEpisode(deps, nina, ann, { ...PRE_CHECKS, overrideId: o.id }),
        'VALIDATION_FAILED',
        'overrideId',
      );
    });

    it('allows the episode on an override by a different consultant, and spends the override', async () => {
      const o = (await patientOverrides(deps, cora, bob)).overrides[0]!;
      const d = await createEpisode(deps, nina, bob, {
        ...PRE_CHECKS,
        assessmentId: allergic,
        overrideId: o.id,
      });
      assert.equal(d.episode.state, 'open');
      assert.equal(d.override?.id, o.id);
      assert.equal(d.override.state, 'used');
      assert.equal(d.override.episodeId, d.episode.id);
      assert.equal(d.names[carl.userId], 'Test carl');
      const spent = (await patientOverrides(deps, cora, bob)).overrides[0]!;
      assert.equal(spent.state, 'used');
      assert.equal(spent.usedBy, nina.userId);
      assert.equal((await viewEpisode(deps, cora, d.episode.id)).override?.id, o.id);
      await abandonEpisode(deps, nina, d.episode.id, { reason: 'Patient unwell on the day' });
      // Spent: it cannot start another episode, and nothing else lets one start.
      const again = await refusedLeavingNothing(
        () => createEpisode(deps, nina, bob, { ...PRE_CHECKS, assessmentId: allergic, overrideId: o.id }),
        'VALIDATION_FAILED',
        'overrideId',
      );
      assert.match(again.fieldErrors[0]?.message ?? '', /used for another test dose/);
      await refusedLeavingNothing(
        () => createEpisode(deps, nina, bob, { ...PRE_CHECKS, assessmentId: allergic }),
        'VALIDATION_FAILED',
        'assessmentId',
      );
    });

    it('starts on an override with no assessment at all, and a withdrawn override cannot be used', async () => {
      const eve = await newPatient();
      const withdrawn = await recordOverride(deps, carl, eve, { reason: 'Selected at the referring centre' });
      await refusedLeavingNothing(
        () => withdrawOverride(deps, nina, withdrawn.id, { reason: 'x' }),
        'FORBIDDEN',
      );
      await refusedLeavingNothing(
        () => withdrawOverride(deps, carl, withdrawn.id, { reason: '' }),
        'VALIDATION_FAILED',
        'reason',
      );
      const w = await withdrawOverride(deps, cora, withdrawn.id, {
        reason: 'Recorded for the wrong patient',
      });
      assert.equal(w.state, 'withdrawn');
      assert.equal(w.withdrawnByName, 'Test cora');
      await refusedLeavingNothing(
        () => createEpisode(deps, nina, eve, { ...PRE_CHECKS, overrideId: withdrawn.id }),
        'VALIDATION_FAILED',
        'overrideId',
      );
      const spent = await refusedLeavingNothing(
        () => withdrawOverride(deps, cora, withdrawn.id, { reason: 'Again' }),
        'INVALID_STATE',
      );
      assert.equal(spent.reason, 'OVERRIDE_NOT_AVAILABLE');
      const o = await recordOverride(deps, carl, eve, { reason: 'Selected at the referring centre' });
      const d = await createEpisode(deps, nina, eve, { ...PRE_CHECKS, overrideId: o.id });
      assert.equal(d.episode.assessmentId, null);
      assert.equal(d.override?.id, o.id);
    });

    it('audits every override: recorded, used, withdrawn; and the episode says what it started on', async () => {
      const rows = await deps.db
        .selectFrom('audit_events')
        .select(['action', 'details', 'user_id', 'entity_type'])
        .where('entity_type', '=', 'test-dose-override')
        .orderBy('seq', 'asc')
        .execute();
      const steps = rows.map((r) => `${r.action}:${(JSON.parse(r.details) as { step: string }).step}`);
      assert.deepEqual(steps, [
        'testdose.create:override', // carl, bob
        'testdose.create:override', // cora, dan
        'testdose.update:override-used', // nina, bob
        'testdose.create:override', // carl, eve
        'testdose.update:override-withdrawn', // cora, eve
        'testdose.create:override', // carl, eve
        'testdose.update:override-used', // nina, eve
      ]);
      assert.ok(
        rows.every((r) => !/Allergy clinic|referring centre/.test(r.details)),
        'no free text in the audit',
      );
      const creates = await deps.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'testdose.create')
        .where('entity_type', '=', 'test-dose-episode')
        .orderBy('seq', 'asc')
        .execute();
      const bases = creates.map((r) => (JSON.parse(r.details) as { startedOn: string }).startedOn);
      assert.deepEqual(bases, ['assessment', 'assessment', 'override', 'override']);
      assert.equal((await sealAndVerify(deps.db)).problem, null);
    });
  });
}
