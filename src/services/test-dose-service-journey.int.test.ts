import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, type TestDatabase } from '../../test/support/databases.ts';
import type { Actor } from './audit-service.ts';
import {
  abandonEpisode,
  createEpisode,
  patientTestDoses,
  updatePreChecks,
  viewEpisode,
} from './test-dose-service.ts';
import { recordBolus, recordObservation } from './test-dose-bolus-service.ts';
import { confirmResult } from './test-dose-result-service.ts';
import { type TestDoseServiceDeps } from './test-dose-support.ts';
import { latestPositiveTestDose } from '../storage/test-doses.repository.ts';
import {
  CHECKER,
  PRE_CHECKS,
  mas,
  observedAt,
  openEpisodeWorld,
  refusedStoringNothing,
  episodeAuditSteps,
} from '../../test/support/test-dose-episode-setup.ts';

/** The clock time of the observation at `hour` after the first bolus (09:00 GMT, 24 November). */
const first = (hour: number) => observedAt('2026-11-24T09:00:00Z', hour);

/**
 * The test-dose episode service on both databases, along one patient's journey: refusals that
 * store nothing, pre-checks, boluses on the ladder, observations, a negative then a positive
 * result 24 hours apart, a closed episode kept read-only, and the audit of every step.
 */

for (const dialect of DIALECTS) {
  describe(`test-dose episodes on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: TestDoseServiceDeps;
    const clock = new TestClock('2026-11-24T10:00:00.000Z');
    let cora: Actor; // consultant: records, gives boluses, confirms results
    let nina: Actor; // nurse specialist: a second prescriber
    let pat: Actor; // physiotherapist: records and observes, never doses
    let bea: Actor; // booking coordinator: none of it
    let ann = '';
    let annAssessment = '';
    let tomAssessment = '';

    /** Runs `work`, which must be refused, and checks that nothing at all was stored. */
    const refusedLeavingNothing = (work: () => Promise<unknown>, code: string, field?: string) =>
      refusedStoringNothing(deps.db, work, code, field);
    const stepsFor = (episodeId: string) => episodeAuditSteps(deps.db, episodeId);

    before(async () => {
      ({ database, deps, cora, nina, pat, bea, ann, annAssessment, tomAssessment } = await openEpisodeWorld(
        dialect,
        clock,
      ));
    });
    after(async () => {
      await database.dispose();
    });

    it('refuses a bad episode, a wrong assessment, an unknown patient and the wrong role, storing nothing', async () => {
      await refusedLeavingNothing(
        () => createEpisode(deps, pat, ann, { ...PRE_CHECKS, goals: '' }),
        'VALIDATION_FAILED',
        'goals',
      );
      await refusedLeavingNothing(
        () => createEpisode(deps, pat, ann, { ...PRE_CHECKS, noInfection: 'perhaps' }),
        'VALIDATION_FAILED',
        'noInfection',
      );
      await refusedLeavingNothing(
        () => createEpisode(deps, pat, ann, { ...PRE_CHECKS, recentBotulinumToxin: true }),
        'VALIDATION_FAILED',
        'botulinumToxinOn',
      );
      await refusedLeavingNothing(
        () => createEpisode(deps, pat, ann, { ...PRE_CHECKS, assessmentId: tomAssessment }),
        'VALIDATION_FAILED',
        'assessmentId',
      );
      await refusedLeavingNothing(() => createEpisode(deps, pat, 'no-such-patient', PRE_CHECKS), 'NOT_FOUND');
      await refusedLeavingNothing(
        () => createEpisode(deps, bea, ann, { ...PRE_CHECKS, assessmentId: annAssessment }),
        'FORBIDDEN',
      );
    });

    let annEpisode = '';
    let firstBolus = '';

    it('opens an episode with unanswered pre-checks; a bolus waits for them, an infection postpones it', async () => {
      const d = await createEpisode(deps, pat, ann, {
        goals: 'Easier hygiene',
        assessmentId: annAssessment,
        noInfection: false,
        infectionNote: 'Pressure sore on the sacrum',
      });
      annEpisode = d.episode.id;
      assert.equal(d.episode.state, 'open');
      assert.equal(d.episode.assessmentId, annAssessment);
      assert.deepEqual(
        d.plan?.blockers.map((b) => b.field),
        ['noInfection', 'anticoagulantsReviewed', 'recentBotulinumToxin', 'oralAntispasmodicPlan'],
      );
      assert.equal(d.plan.ladderDoseMcg, 50);
      assert.equal(d.plan.ladderVolumeMl, 1);
      const open = await refusedLeavingNothing(
        () => createEpisode(deps, pat, ann, { ...PRE_CHECKS, assessmentId: annAssessment }),
        'INVALID_STATE',
      );
      assert.equal(open.reason, 'EPISODE_ALREADY_OPEN');
      const bolus = {
        doseMcg: 50,
        route: 'lumbar-puncture',
        checkedBy: CHECKER,
        givenAt: '2026-11-24T09:00:00Z',
      };
      const err = await refusedLeavingNothing(
        () => recordBolus(deps, cora, annEpisode, bolus),
        'INVALID_STATE',
        'noInfection',
      );
      assert.equal(err.reason, 'PRE_CHECKS_INCOMPLETE');
      assert.match(err.message, /postpone the test dose/);
      // The wound has healed: the pre-checks are answered again, all clear.
      const updated = await updatePreChecks(deps, pat, annEpisode, PRE_CHECKS);
      assert.deepEqual(updated.plan?.blockers, []);
      assert.equal(updated.episode.version, 2);
      await refusedLeavingNothing(
        () => updatePreChecks(deps, pat, annEpisode, { ...PRE_CHECKS, botulinumToxinOn: '2026-11-01' }),
        'VALIDATION_FAILED',
        'botulinumToxinOn',
      );
    });

    it('gives boluses only by prescribers, in mcg, on the ladder, not in the future', async () => {
      const bolus = {
        doseMcg: 50,
        route: 'lumbar-puncture',
        checkedBy: CHECKER,
        givenAt: '2026-11-24T09:00:00Z',
      };
      await refusedLeavingNothing(() => recordBolus(deps, pat, annEpisode, bolus), 'FORBIDDEN');
      const mg = await refusedLeavingNothing(
        () => recordBolus(deps, cora, annEpisode, { ...bolus, doseMcg: 0.05 }),
        'VALIDATION_FAILED',
        'doseMcg',
      );
      assert.match(mg.fieldErrors[0]?.message ?? '', /looks like milligrams/);
      await refusedLeavingNothing(
        () => recordBolus(deps, cora, annEpisode, { ...bolus, concentrationMcgPerMl: 0 }),
        'VALIDATION_FAILED',
        'concentrationMcgPerMl',
      );
      await refusedLeavingNothing(
        () => recordBolus(deps, cora, annEpisode, { ...bolus, doseMcg: 75 }),
        'VALIDATION_FAILED',
        'offLadderReason',
      );
      await refusedLeavingNothing(
        () => recordBolus(deps, cora, annEpisode, { ...bolus, givenAt: '2026-11-24T10:05:00Z' }),
        'VALIDATION_FAILED',
        'givenAt',
      );
      const d = await recordBolus(deps, cora, annEpisode, { ...bolus, checkedBy: 'Nina Nurse' });
      const b = d.boluses[0]!;
      firstBolus = b.id;
      assert.equal(b.sequence, 1);
      assert.equal(b.doseMcg, 50);
      assert.equal(b.concentrationMcgPerMl, 50);
      assert.equal(b.volumeMl, 1);
      assert.equal(b.givenAt, '2026-11-24T09:00:00.000Z');
      assert.equal(b.givenBy, cora.userId);
      assert.equal(b.checkedBy, 'Nina Nurse');
      assert.equal(b.ladderDoseMcg, 50);
      assert.equal(d.names[cora.userId], 'Test cora');
      // The next bolus waits for this one's result, and 24 hours.
      assert.deepEqual(
        d.plan?.blockers.map((x) => x.field),
        ['result'],
      );
      assert.equal(d.plan.earliestAt, '2026-11-25T09:00:00.000Z');
      clock.set('2026-11-25T12:00:00.000Z');
      const unconfirmed = await refusedLeavingNothing(
        () => recordBolus(deps, cora, annEpisode, { ...bolus, doseMcg: 75, givenAt: '2026-11-25T10:00:00Z' }),
        'INVALID_STATE',
      );
      assert.equal(unconfirmed.reason, 'RESULT_NOT_CONFIRMED');
    });

    it('records observations at the configured hours, once each', async () => {
      await refusedLeavingNothing(
        () =>
          recordObservation(deps, pat, annEpisode, firstBolus, {
            hour: 3,
            observedAt: first(3),
            mas: mas('3', '3'),
          }),
        'VALIDATION_FAILED',
        'hour',
      );
      await refusedLeavingNothing(
        () =>
          recordObservation(deps, pat, annEpisode, 'no-such-bolus', {
            hour: 0,
            observedAt: first(0),
            mas: mas('3', '3'),
          }),
        'NOT_FOUND',
      );
      await refusedLeavingNothing(
        () =>
          recordObservation(deps, bea, annEpisode, firstBolus, {
            hour: 0,
            observedAt: first(0),
            mas: mas('3', '3'),
          }),
        'FORBIDDEN',
      );
      await refusedLeavingNothing(
        () =>
          recordObservation(deps, pat, annEpisode, firstBolus, {
            hour: 0,
            observedAt: first(0),
            heartRateBpm: 400,
          }),
        'VALIDATION_FAILED',
        'heartRateBpm',
      );
      await recordObservation(deps, pat, annEpisode, firstBolus, {
        hour: 0,
        observedAt: first(0),
        mas: mas('3', '3'),
        pennFrequency: 3,
        heartRateBpm: 72,
        systolicMmHg: 124,
        diastolicMmHg: 78,
        respiratoryRatePerMin: 14,
        spo2Percent: 98,
      });
      const dup = await refusedLeavingNothing(
        () =>
          recordObservation(deps, pat, annEpisode, firstBolus, {
            hour: 0,
            observedAt: first(0),
            mas: mas('2', '2'),
          }),
        'VALIDATION_FAILED',
        'hour',
      );
      assert.match(dup.fieldErrors[0]?.message ?? '', /baseline observation has already been recorded/);
      // A "4 hours" observation 30 minutes after the bolus is refused, naming the time.
      const early = await refusedLeavingNothing(
        () =>
          recordObservation(deps, pat, annEpisode, firstBolus, {
            hour: 4,
            observedAt: '2026-11-24T09:30:00Z',
            mas: mas('2', '1+'),
          }),
        'VALIDATION_FAILED',
        'observedAt',
      );
      assert.match(
        early.fieldErrors[0]?.message ?? '',
        /4-hour observation is taken 4 hours after the bolus/,
      );
      const d = await recordObservation(deps, pat, annEpisode, firstBolus, {
        hour: 4,
        observedAt: first(4),
        mas: mas('2', '1+'),
        sideEffects: ['drowsiness'],
      });
      const b = d.boluses[0]!;
      assert.deepEqual(
        b.observations.map((o) => o.hour),
        [0, 4],
      );
      assert.equal(b.observations[1]?.mas[1]?.grade, '1+');
      assert.deepEqual(b.observations[1].sideEffects, ['drowsiness']);
      assert.equal(b.observations[1].observedAt, '2026-11-24T13:00:00.000Z');
      // 3, 3 → 2, 1+ is a mean drop of 1.25: below the 2 points the criterion needs.
      assert.equal(b.suggestion.outcome, 'negative');
      assert.equal(b.suggestion.drop, 1.25);
    });

    it('confirms a negative result at 50 mcg and keeps the episode open for 75 mcg 24 h later', async () => {
      await refusedLeavingNothing(
        () =>
          confirmResult(deps, pat, annEpisode, firstBolus, { result: 'negative', adverseReactions: false }),
        'FORBIDDEN',
      );
      await refusedLeavingNothing(
        () =>
          confirmResult(deps, cora, annEpisode, firstBolus, { result: 'positive', adverseReactions: false }),
        'VALIDATION_FAILED',
        'reason',
      );
      // Drowsiness was observed at 4 hours: "no adverse reactions" is refused.
      const contradiction = await refusedLeavingNothing(
        () =>
          confirmResult(deps, cora, annEpisode, firstBolus, { result: 'negative', adverseReactions: false }),
        'VALIDATION_FAILED',
        'adverseReactions',
      );
      assert.match(
        contradiction.fieldErrors[0]?.message ?? '',
        /^Adverse reactions cannot be "no": drowsiness or sleepiness \(bolus 1, 4 hours\) was observed/,
      );
      const d = await confirmResult(deps, cora, annEpisode, firstBolus, {
        result: 'negative',
        adverseReactions: true,
        adverseNote: 'Drowsy at 4 hours; settled by 6 hours',
      });
      assert.equal(d.episode.state, 'open');
      assert.equal(d.boluses[0]?.result?.result, 'negative');
      assert.equal(d.boluses[0].result.suggestion.outcome, 'negative');
      assert.equal(d.boluses[0].result.decidedOn, '2026-11-25');
      assert.equal(d.plan?.ladderDoseMcg, 75);
      assert.equal(d.plan.ladderVolumeMl, 1.5);
      assert.deepEqual(d.plan.blockers, []);
      const twice = await refusedLeavingNothing(
        () =>
          confirmResult(deps, cora, annEpisode, firstBolus, {
            result: 'negative',
            adverseReactions: true,
            adverseNote: 'Drowsy',
          }),
        'INVALID_STATE',
      );
      assert.equal(twice.reason, 'RESULT_ALREADY_CONFIRMED');
      const late = await refusedLeavingNothing(
        () =>
          recordObservation(deps, pat, annEpisode, firstBolus, {
            hour: 8,
            observedAt: first(8),
            mas: mas('3', '3'),
          }),
        'INVALID_STATE',
      );
      assert.equal(late.reason, 'OBSERVATIONS_CLOSED');
    });

    let secondBolus = '';

    it('refuses the next bolus at 23 h 59 min, naming givenAt and the earliest time; accepts it at 24 h', async () => {
      const next = { doseMcg: 75, route: 'catheter', checkedBy: CHECKER };
      const err = await refusedLeavingNothing(
        () => recordBolus(deps, nina, annEpisode, { ...next, givenAt: '2026-11-25T08:59:00Z' }),
        'VALIDATION_FAILED',
        'givenAt',
      );
      assert.match(
        err.fieldErrors[0]?.message ?? '',
        /previous bolus \(given on 24 November 2026, 09:00\): the earliest allowed time is 25 November 2026, 09:00/,
      );
      const d = await recordBolus(deps, nina, annEpisode, { ...next, givenAt: '2026-11-25T09:00:00Z' });
      const b = d.boluses[1]!;
      secondBolus = b.id;
      assert.equal(b.sequence, 2);
      assert.equal(b.volumeMl, 1.5);
      assert.equal(b.route, 'catheter');
      assert.equal(b.givenBy, nina.userId);
      assert.equal(b.offLadderReason, null);
    });

    it('suggests positive from the observations and, once confirmed, closes the episode with the starting dose', async () => {
      const down = mas('1', '1');
      // The 8-hour observation is at 17:00.
      clock.set('2026-11-25T18:00:00.000Z');
      for (const [hour, grades] of [
        [0, mas('3', '3')],
        [2, down],
        [4, down],
        [6, down],
        [8, mas('2', '2')],
      ] as const) {
        await recordObservation(deps, pat, annEpisode, secondBolus, {
          hour,
          observedAt: observedAt('2026-11-25T09:00:00Z', hour),
          mas: grades,
        });
      }
      const before = await viewEpisode(deps, pat, annEpisode);
      const s = before.boluses[1]!.suggestion;
      assert.equal(s.outcome, 'positive');
      assert.equal(s.drop, 2);
      assert.equal(s.effectHours, 6);
      assert.equal(await latestPositiveTestDose(deps.db, ann), null);
      // Drowsiness after the first bolus of this episode is an adverse reaction to the test.
      const d = await confirmResult(deps, cora, annEpisode, secondBolus, {
        result: 'positive',
        adverseReactions: true,
        adverseNote: 'Drowsy at 4 hours after the 50 mcg bolus',
        note: 'Sat comfortably for 3 hours',
      });
      assert.equal(d.episode.state, 'positive');
      assert.equal(d.episode.outcomeBolusId, secondBolus);
      assert.equal(d.episode.closedBy, cora.userId);
      assert.equal(d.plan, null);
      assert.equal(d.outcome?.bolus.result?.effectHours, 6);
      // The test dose itself a day, not twice it: there were adverse reactions [LABEL-SKY].
      assert.deepEqual(d.outcome.startingDose, { dailyDoseMcg: 75, rule: 'same' });
      assert.deepEqual(await latestPositiveTestDose(deps.db, ann), {
        episodeId: annEpisode,
        doseMcg: 75,
        effectHours: 6,
        adverseReactions: true,
        decidedOn: '2026-11-25',
      });
    });

    it('keeps a closed episode read-only', async () => {
      const closed = await refusedLeavingNothing(
        () => updatePreChecks(deps, pat, annEpisode, PRE_CHECKS),
        'INVALID_STATE',
      );
      assert.equal(closed.reason, 'EPISODE_CLOSED');
      await refusedLeavingNothing(
        () => abandonEpisode(deps, pat, annEpisode, { reason: 'Changed our minds' }),
        'INVALID_STATE',
      );
      await refusedLeavingNothing(
        () =>
          recordObservation(deps, pat, annEpisode, secondBolus, {
            hour: 8,
            observedAt: observedAt('2026-11-25T09:00:00Z', 8),
            mas: mas('3', '3'),
          }),
        'INVALID_STATE',
      );
      clock.set('2026-11-27T12:00:00.000Z');
      await refusedLeavingNothing(
        () =>
          recordBolus(deps, cora, annEpisode, {
            doseMcg: 100,
            route: 'catheter',
            checkedBy: CHECKER,
            givenAt: '2026-11-27T10:00:00Z',
          }),
        'INVALID_STATE',
      );
    });

    it('writes one audit row per step, and audits reads', async () => {
      await viewEpisode(deps, cora, annEpisode);
      const { episodes } = await patientTestDoses(deps, cora, ann);
      assert.equal(episodes.length, 1);
      assert.equal(episodes[0]?.boluses.length, 2);
      assert.deepEqual(await stepsFor(annEpisode), [
        'testdose.create',
        'testdose.update:pre-checks',
        'testdose.update:bolus',
        'testdose.update:observation',
        'testdose.update:observation',
        'testdose.update:result',
        'testdose.update:bolus',
        'testdose.update:observation',
        'testdose.update:observation',
        'testdose.update:observation',
        'testdose.update:observation',
        'testdose.update:observation',
        'testdose.view',
        'testdose.update:result',
        'testdose.view',
      ]);
      const list = await deps.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'testdose.view')
        .where('entity_id', '=', ann)
        .executeTakeFirstOrThrow();
      assert.equal(list.patient_id, ann);
      const create = await deps.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'testdose.create')
        .where('entity_id', '=', annEpisode)
        .executeTakeFirstOrThrow();
      assert.doesNotMatch(
        create.details,
        /hygiene|sacrum/,
        'clinical free text stays out of the audit trail',
      );
    });
  });
}
