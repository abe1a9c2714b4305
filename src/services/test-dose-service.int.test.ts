import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import type { Role } from '../domain/roles.ts';
import { DEFAULT_PUMP_RULES } from '../domain/pump-rules.ts';
import type { Database } from '../storage/database.ts';
import { actorOf, verifyAuditChain, type Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import {
  abandonEpisode,
  confirmResult,
  createEpisode,
  latestPositiveTestDose,
  patientTestDoses,
  recordBolus,
  recordObservation,
  updatePreChecks,
  viewEpisode,
  type TestDoseServiceDeps,
} from './test-dose-service.ts';
import { addUser } from './user-service.ts';
import { decidedAssessment } from '../../test/support/test-dose-fixtures.ts';

const PRE_CHECKS = {
  noInfection: true,
  anticoagulantsReviewed: true,
  anticoagulantNote: 'Not on anticoagulants or antiplatelets',
  recentBotulinumToxin: false,
  oralAntispasmodicPlan: 'Continue oral baclofen 20 mg three times a day',
  goals: 'Easier hygiene and sitting for longer',
};

/** The second person who checked each dose drawn up (never the giver). */
const CHECKER = 'Jo Bloggs, staff nurse';

const mas = (left: string, right: string) => [
  { muscleGroup: 'hip-adductors', side: 'left', grade: left },
  { muscleGroup: 'hip-adductors', side: 'right', grade: right },
];

const TABLES: (keyof Database)[] = [
  'test_dose_episodes',
  'test_dose_boluses',
  'test_dose_observations',
  'audit_events',
];

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
    let tom = '';
    let sue = '';
    let annAssessment = '';
    let tomAssessment = '';
    let sueAssessment = '';

    /** Runs `work`, which must be refused, and checks that nothing at all was stored. */
    const refusedLeavingNothing = async (work: () => Promise<unknown>, code: string, field?: string) => {
      const before = await Promise.all(TABLES.map((t) => countRows(deps.db, t)));
      const err = await rejects(work(), code, field);
      assert.deepEqual(await Promise.all(TABLES.map((t) => countRows(deps.db, t))), before);
      return err;
    };

    const stepsFor = async (episodeId: string) =>
      (
        await deps.db
          .selectFrom('audit_events')
          .select(['action', 'details'])
          .where('entity_id', '=', episodeId)
          .orderBy('seq', 'asc')
          .execute()
      ).map((r) => {
        const step = (JSON.parse(r.details) as { step?: string }).step;
        return step ? `${r.action}:${step}` : r.action;
      });

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
      nina = await add('nina', 'nurse-specialist');
      pat = await add('pat', 'physiotherapist');
      bea = await add('bea', 'booking-coordinator');
      const svc = { db, clock, timeZone: 'Europe/London' };
      const patient = async (nhsNumber: string, givenName: string) =>
        (
          await createPatient(svc, cora, {
            nhsNumber,
            givenName,
            familyName: 'Test',
            dateOfBirth: '1970-01-01',
            sex: 'female',
          })
        ).id;
      ann = await patient('4857773457', 'Ann');
      tom = await patient('9434765919', 'Tom');
      sue = await patient('9000000009', 'Sue');
      // Each patient was selected for a test dose (the bedside gate: test-dose-gate.int.test.ts).
      const proceed = { decision: 'proceed-to-test-dose' } as const;
      annAssessment = await decidedAssessment(deps, cora, ann, proceed);
      tomAssessment = await decidedAssessment(deps, cora, tom, proceed);
      sueAssessment = await decidedAssessment(deps, cora, sue, proceed);
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
      await refusedLeavingNothing(
        () => createEpisode(deps, pat, ann, { ...PRE_CHECKS, assessmentId: annAssessment }),
        'INVALID_STATE',
      );
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
      await refusedLeavingNothing(
        () => recordBolus(deps, cora, annEpisode, { ...bolus, doseMcg: 75, givenAt: '2026-11-25T10:00:00Z' }),
        'INVALID_STATE',
      );
    });

    it('records observations at the configured hours, once each', async () => {
      await refusedLeavingNothing(
        () => recordObservation(deps, pat, annEpisode, firstBolus, { hour: 3, mas: mas('3', '3') }),
        'VALIDATION_FAILED',
        'hour',
      );
      await refusedLeavingNothing(
        () => recordObservation(deps, pat, annEpisode, 'no-such-bolus', { hour: 0, mas: mas('3', '3') }),
        'NOT_FOUND',
      );
      await refusedLeavingNothing(
        () => recordObservation(deps, bea, annEpisode, firstBolus, { hour: 0, mas: mas('3', '3') }),
        'FORBIDDEN',
      );
      await refusedLeavingNothing(
        () => recordObservation(deps, pat, annEpisode, firstBolus, { hour: 0, heartRateBpm: 400 }),
        'VALIDATION_FAILED',
        'heartRateBpm',
      );
      await recordObservation(deps, pat, annEpisode, firstBolus, {
        hour: 0,
        mas: mas('3', '3'),
        pennFrequency: 3,
        heartRateBpm: 72,
        systolicMmHg: 124,
        diastolicMmHg: 78,
        respiratoryRatePerMin: 14,
        spo2Percent: 98,
      });
      const dup = await refusedLeavingNothing(
        () => recordObservation(deps, pat, annEpisode, firstBolus, { hour: 0, mas: mas('2', '2') }),
        'VALIDATION_FAILED',
        'hour',
      );
      assert.match(dup.fieldErrors[0]?.message ?? '', /baseline observation has already been recorded/);
      const d = await recordObservation(deps, pat, annEpisode, firstBolus, {
        hour: 4,
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
      const d = await confirmResult(deps, cora, annEpisode, firstBolus, {
        result: 'negative',
        adverseReactions: false,
      });
      assert.equal(d.episode.state, 'open');
      assert.equal(d.boluses[0]?.result?.result, 'negative');
      assert.equal(d.boluses[0].result.suggestion.outcome, 'negative');
      assert.equal(d.boluses[0].result.decidedOn, '2026-11-25');
      assert.equal(d.plan?.ladderDoseMcg, 75);
      assert.equal(d.plan.ladderVolumeMl, 1.5);
      assert.deepEqual(d.plan.blockers, []);
      await refusedLeavingNothing(
        () =>
          confirmResult(deps, cora, annEpisode, firstBolus, { result: 'negative', adverseReactions: false }),
        'INVALID_STATE',
      );
      await refusedLeavingNothing(
        () => recordObservation(deps, pat, annEpisode, firstBolus, { hour: 8, mas: mas('3', '3') }),
        'INVALID_STATE',
      );
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
        /previous bolus \(given at 09:00 on 24 November 2026 \(GMT\)\): the earliest allowed time is 09:00 on 25 November 2026 \(GMT\)/,
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
      for (const [hour, grades] of [
        [0, mas('3', '3')],
        [2, down],
        [4, down],
        [6, down],
        [8, mas('2', '2')],
      ] as const) {
        await recordObservation(deps, pat, annEpisode, secondBolus, { hour, mas: grades });
      }
      const before = await viewEpisode(deps, pat, annEpisode);
      const s = before.boluses[1]!.suggestion;
      assert.equal(s.outcome, 'positive');
      assert.equal(s.drop, 2);
      assert.equal(s.effectHours, 6);
      assert.equal(await latestPositiveTestDose(deps.db, ann), null);
      const d = await confirmResult(deps, cora, annEpisode, secondBolus, {
        result: 'positive',
        adverseReactions: false,
        note: 'Sat comfortably for 3 hours',
      });
      assert.equal(d.episode.state, 'positive');
      assert.equal(d.episode.outcomeBolusId, secondBolus);
      assert.equal(d.episode.closedBy, cora.userId);
      assert.equal(d.plan, null);
      assert.equal(d.outcome?.bolus.result?.effectHours, 6);
      // Twice the effective test dose a day: the effect did not last more than 8 hours [LABEL-SKY].
      assert.deepEqual(d.outcome.startingDose, { dailyDoseMcg: 150, rule: 'double' });
      assert.deepEqual(await latestPositiveTestDose(deps.db, ann), {
        episodeId: annEpisode,
        doseMcg: 75,
        effectHours: 6,
        adverseReactions: false,
        decidedOn: '2026-11-25',
      });
    });

    it('keeps a closed episode read-only', async () => {
      await refusedLeavingNothing(() => updatePreChecks(deps, pat, annEpisode, PRE_CHECKS), 'INVALID_STATE');
      await refusedLeavingNothing(
        () => abandonEpisode(deps, pat, annEpisode, { reason: 'Changed our minds' }),
        'INVALID_STATE',
      );
      await refusedLeavingNothing(
        () => recordObservation(deps, pat, annEpisode, secondBolus, { hour: 8, mas: mas('3', '3') }),
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

    it('skips to 100 mcg with a reason, and no response there means not for implant', async () => {
      clock.set('2026-10-20T12:00:00.000Z');
      const d = await createEpisode(deps, pat, tom, { ...PRE_CHECKS, assessmentId: tomAssessment });
      const id = d.episode.id;
      const b1 = (
        await recordBolus(deps, cora, id, {
          doseMcg: 50,
          route: 'catheter',
          checkedBy: CHECKER,
          givenAt: '2026-10-20T09:00:00Z',
        })
      ).boluses[0]!.id;
      await confirmResult(deps, cora, id, b1, {
        result: 'negative',
        reason: 'Family saw no change; physiotherapist agrees',
        adverseReactions: false,
      });
      clock.set('2026-10-21T12:00:00.000Z');
      const skip = { doseMcg: 100, route: 'catheter', checkedBy: CHECKER, givenAt: '2026-10-21T09:00:00Z' };
      await refusedLeavingNothing(
        () => recordBolus(deps, cora, id, skip),
        'VALIDATION_FAILED',
        'offLadderReason',
      );
      const d2 = await recordBolus(deps, cora, id, {
        ...skip,
        offLadderReason: 'Bristol protocol: 50 then 100',
      });
      const b2 = d2.boluses[1]!;
      assert.equal(b2.ladderDoseMcg, 75);
      assert.equal(b2.offLadderReason, 'Bristol protocol: 50 then 100');
      assert.equal(b2.volumeMl, 2);
      await recordObservation(deps, pat, id, b2.id, { hour: 0, mas: mas('3', '3') });
      await recordObservation(deps, pat, id, b2.id, { hour: 4, mas: mas('3', '2') });
      const closed = await confirmResult(deps, nina, id, b2.id, {
        result: 'negative',
        adverseReactions: false,
      });
      assert.equal(closed.episode.state, 'not-for-implant');
      assert.equal(closed.episode.outcomeBolusId, b2.id);
      assert.equal(closed.outcome, null);
      assert.equal(await latestPositiveTestDose(deps.db, tom), null);
    });

    it('abandons an episode with a reason, and the 24-hour rule holds across episodes', async () => {
      // Across the October clock change: 10:00 BST on 24 October to 09:30 GMT on 25 October is 24.5 h.
      clock.set('2026-10-24T12:00:00.000Z');
      const first = await createEpisode(deps, pat, sue, { ...PRE_CHECKS, assessmentId: sueAssessment });
      await recordBolus(deps, cora, first.episode.id, {
        doseMcg: 50,
        route: 'lumbar-puncture',
        checkedBy: CHECKER,
        givenAt: '2026-10-24T10:00:00+01:00',
      });
      await refusedLeavingNothing(
        () => abandonEpisode(deps, pat, first.episode.id, { reason: ' ' }),
        'VALIDATION_FAILED',
        'reason',
      );
      await refusedLeavingNothing(
        () => abandonEpisode(deps, bea, first.episode.id, { reason: 'x' }),
        'FORBIDDEN',
      );
      const abandoned = await abandonEpisode(deps, pat, first.episode.id, { reason: 'Catheter dislodged' });
      assert.equal(abandoned.episode.state, 'abandoned');
      assert.equal(abandoned.episode.abandonReason, 'Catheter dislodged');
      assert.equal(abandoned.plan, null);
      clock.set('2026-10-25T12:00:00.000Z');
      const second = await createEpisode(deps, pat, sue, { ...PRE_CHECKS, assessmentId: sueAssessment });
      const early = await refusedLeavingNothing(
        () =>
          recordBolus(deps, cora, second.episode.id, {
            doseMcg: 50,
            route: 'lumbar-puncture',
            checkedBy: CHECKER,
            givenAt: '2026-10-25T08:59:00Z',
          }),
        'VALIDATION_FAILED',
        'givenAt',
      );
      assert.match(
        early.fieldErrors[0]?.message ?? '',
        /earliest allowed time is 09:00 on 25 October 2026 \(GMT\)/,
      );
      const ok = await recordBolus(deps, cora, second.episode.id, {
        doseMcg: 50,
        route: 'lumbar-puncture',
        checkedBy: CHECKER,
        givenAt: '2026-10-25T09:30:00Z',
      });
      assert.equal(ok.boluses[0]?.givenAt, '2026-10-25T09:30:00.000Z');
      assert.deepEqual(await stepsFor(first.episode.id), [
        'testdose.create',
        'testdose.update:bolus',
        'testdose.update:abandon',
      ]);
    });

    it('lets only one of two simultaneous boluses through', async () => {
      clock.set('2026-12-10T12:00:00.000Z');
      // A second pool on PostgreSQL, as a second instance would have; SQLite's one connection
      // (in one process) queues the two transactions itself.
      const otherDeps = dialect === 'postgres' ? { ...deps, db: database.openAnother().db } : deps;
      const tomEpisode = await createEpisode(deps, pat, tom, { ...PRE_CHECKS, assessmentId: tomAssessment });
      const before = await countRows(deps.db, 'test_dose_boluses');
      const results = await Promise.allSettled([
        recordBolus(deps, cora, tomEpisode.episode.id, {
          doseMcg: 50,
          route: 'catheter',
          checkedBy: CHECKER,
          givenAt: '2026-12-10T09:00:00Z',
        }),
        recordBolus(otherDeps, nina, tomEpisode.episode.id, {
          doseMcg: 50,
          route: 'catheter',
          checkedBy: CHECKER,
          givenAt: '2026-12-10T09:05:00Z',
        }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, JSON.stringify(results));
      const failed = results.find((r) => r.status === 'rejected');
      assert.ok(failed?.status === 'rejected');
      assert.match(
        String((failed.reason as { code?: string }).code),
        /STALE_EDIT|INVALID_STATE|VALIDATION_FAILED/,
      );
      assert.equal(await countRows(deps.db, 'test_dose_boluses'), before + 1);
      assert.equal((await verifyAuditChain(deps.db)).problem, null);
    });
  });
}
