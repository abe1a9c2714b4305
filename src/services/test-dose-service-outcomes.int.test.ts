import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, type TestDatabase } from '../../test/support/databases.ts';
import { verifyAuditChain, type Actor } from './audit-service.ts';
import { abandonEpisode, createEpisode } from './test-dose-service.ts';
import { recordBolus, recordObservation } from './test-dose-bolus-service.ts';
import { confirmResult } from './test-dose-result-service.ts';
import { type TestDoseServiceDeps } from './test-dose-support.ts';
import { latestPositiveTestDose } from '../storage/test-doses.repository.ts';
import {
  CHECKER,
  PRE_CHECKS,
  mas,
  openEpisodeWorld,
  refusedStoringNothing,
  episodeAuditSteps,
} from '../../test/support/test-dose-episode-setup.ts';

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
    let tom = '';
    let sue = '';
    let tomAssessment = '';
    let sueAssessment = '';

    /** Runs `work`, which must be refused, and checks that nothing at all was stored. */
    const refusedLeavingNothing = (work: () => Promise<unknown>, code: string, field?: string) =>
      refusedStoringNothing(deps.db, work, code, field);
    const stepsFor = (episodeId: string) => episodeAuditSteps(deps.db, episodeId);

    before(async () => {
      ({ database, deps, cora, nina, pat, bea, tom, sue, tomAssessment, sueAssessment } =
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
