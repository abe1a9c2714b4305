import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, type TestDatabase } from '../../test/support/databases.ts';
import { type Actor } from './audit-service.ts';
import { abandonEpisode, createEpisode, updatePreChecks, viewEpisode } from './test-dose-service.ts';
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
import { sealAndVerify } from '../../test/support/audit-chain.ts';

/**
 * The test-dose episode service on both databases, beyond the one journey: skipping a rung and
 * not for implant, abandoning an episode with the 24-hour rule across episodes, and two
 * simultaneous boluses.
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
    let tom = '';
    let sue = '';
    let annAssessment = '';
    let tomAssessment = '';
    let sueAssessment = '';

    /** Runs `work`, which must be refused, and checks that nothing at all was stored. */
    const refusedLeavingNothing = (work: () => Promise<unknown>, code: string, field?: string) =>
      refusedStoringNothing(deps.db, work, code, field);
    const stepsFor = (episodeId: string) => episodeAuditSteps(deps.db, episodeId);

    before(async () => {
      ({ database, deps, cora, nina, pat, bea, ann, tom, sue, annAssessment, tomAssessment, sueAssessment } =
        await openEpisodeWorld(dialect, clock));
    });
    after(async () => {
      await database.dispose();
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
      await recordObservation(deps, pat, id, b2.id, {
        hour: 0,
        observedAt: observedAt('2026-10-21T09:00:00Z', 0),
        mas: mas('3', '3'),
      });
      clock.set('2026-10-21T14:00:00.000Z');
      await recordObservation(deps, pat, id, b2.id, {
        hour: 4,
        observedAt: observedAt('2026-10-21T09:00:00Z', 4),
        mas: mas('3', '2'),
      });
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
      assert.match(early.fieldErrors[0]?.message ?? '', /earliest allowed time is 25 October 2026, 09:00/);
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

    it('refuses a bolus before its episode started, and a start corrected after its first bolus', async () => {
      clock.set('2026-12-20T12:00:00.000Z');
      // Recorded now, with no start given: the episode starts at 12:00.
      const now: Record<string, unknown> = { ...PRE_CHECKS, startedAt: null };
      const e = await createEpisode(deps, pat, ann, { ...now, assessmentId: annAssessment });
      const id = e.episode.id;
      assert.equal(e.episode.startedAt, '2026-12-20T12:00:00.000Z');
      const bolus = { doseMcg: 50, route: 'catheter', checkedBy: CHECKER, givenAt: '2026-12-20T09:00:00Z' };
      const err = await refusedLeavingNothing(
        () => recordBolus(deps, cora, id, bolus),
        'VALIDATION_FAILED',
        'givenAt',
      );
      assert.match(
        err.fieldErrors[0]?.message ?? '',
        /^Time given must not be before the test dose started \(20 December 2026, 12:00\)/,
      );
      // The screening was recorded afterwards: its start is corrected with the pre-checks.
      await refusedLeavingNothing(
        () => updatePreChecks(deps, pat, id, { ...now, startedAt: '2026-12-20T13:00:00Z' }),
        'VALIDATION_FAILED',
        'startedAt',
      );
      const fixed = await updatePreChecks(deps, pat, id, { ...now, startedAt: '2026-12-20T08:30:00Z' });
      assert.equal(fixed.episode.startedAt, '2026-12-20T08:30:00.000Z');
      const d = await recordBolus(deps, cora, id, bolus);
      const b = d.boluses[0]!.id;
      // A baseline before the start, and a start moved after the bolus, are both refused.
      const early = await refusedLeavingNothing(
        () =>
          recordObservation(deps, pat, id, b, {
            hour: 0,
            observedAt: '2026-12-20T08:00:00Z',
            mas: mas('3', '3'),
          }),
        'VALIDATION_FAILED',
        'observedAt',
      );
      assert.match(
        early.fieldErrors[0]?.message ?? '',
        /before the test dose started \(20 December 2026, 08:30\)/,
      );
      const moved = await refusedLeavingNothing(
        () => updatePreChecks(deps, pat, id, { ...now, startedAt: '2026-12-20T09:30:00Z' }),
        'VALIDATION_FAILED',
        'startedAt',
      );
      assert.match(
        moved.fieldErrors[0]?.message ?? '',
        /after its first bolus or observation \(20 December 2026, 09:00\)/,
      );
      await abandonEpisode(deps, pat, id, { reason: 'Test over' });
    });

    it('reads episodes and observations stored before their times were kept', async () => {
      clock.set('2026-12-21T18:00:00.000Z');
      const now: Record<string, unknown> = { ...PRE_CHECKS, startedAt: '2026-12-21T08:00:00Z' };
      const e = await createEpisode(deps, pat, ann, { ...now, assessmentId: annAssessment });
      const id = e.episode.id;
      const given = '2026-12-21T09:00:00Z';
      const d = await recordBolus(deps, cora, id, {
        doseMcg: 50,
        route: 'catheter',
        checkedBy: CHECKER,
        givenAt: given,
      });
      const b = d.boluses[0]!.id;
      await recordObservation(deps, pat, id, b, {
        hour: 0,
        observedAt: observedAt(given, 0),
        mas: mas('3', '3'),
      });
      // As the migration leaves rows stored before: no start, no clock time.
      await deps.db
        .updateTable('test_dose_episodes')
        .set({ started_at: null })
        .where('id', '=', id)
        .execute();
      await deps.db
        .updateTable('test_dose_observations')
        .set({ observed_at: null })
        .where('bolus_id', '=', b)
        .execute();
      const read = await viewEpisode(deps, pat, id);
      assert.equal(read.episode.startedAt, read.episode.createdAt, 'started when it was recorded');
      assert.equal(read.boluses[0]?.observations[0]?.observedAt, null);
      // New observations still need their time, checked against the bolus.
      await refusedLeavingNothing(
        () => recordObservation(deps, pat, id, b, { hour: 2, mas: mas('2', '2') }),
        'VALIDATION_FAILED',
        'observedAt',
      );
      await abandonEpisode(deps, pat, id, { reason: 'Test over' });
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
      assert.equal((await sealAndVerify(deps.db)).problem, null);
    });
  });
}
