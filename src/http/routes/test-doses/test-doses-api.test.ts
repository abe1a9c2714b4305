import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { DIALECTS } from '../../../../test/support/databases.ts';
import { decidedAssessment } from '../../../../test/support/test-dose-fixtures.ts';
import { actorOf } from '../../../services/audit-service.ts';
import {
  addTestUser,
  registerAnn,
  startTestApp,
  type TestApp,
  apiTokenFor,
} from '../../../../test/support/test-app.ts';

interface ApiError {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly fields: readonly { field: string; message: string }[];
  };
}

interface EpisodeBody {
  readonly id: string;
  readonly state: string;
  readonly preChecks: { readonly noInfection: boolean | null; readonly goals: string };
  readonly boluses: readonly {
    readonly id: string;
    readonly doseMcg: number;
    readonly volumeMl: number;
    readonly givenAt: string;
    readonly observations: readonly {
      hour: number;
      observedAt: string | null;
      mas: readonly { grade: string }[];
    }[];
    readonly suggestion: { outcome: string; drop: number | null; effectHours: number | null };
    readonly result: { result: string; suggestedOutcome: string; effectHours: number | null } | null;
  }[];
  readonly nextBolus: {
    ladderDoseMcg: number | null;
    ladderVolumeMl: number | null;
    earliestAt: string | null;
    blockers: readonly { field: string }[];
  } | null;
  readonly startingDose: {
    dailyDoseMcg: number;
    rule: string;
    testDoseMcg: number;
    effectHours: number;
  } | null;
}

/** The test clock's now is 10:00 on 24 November 2026 (GMT). */
const PRE_CHECKS = {
  noInfection: true,
  anticoagulantsReviewed: true,
  recentBotulinumToxin: true,
  botulinumToxinOn: '2026-09-01',
  botulinumToxinNote: 'Botulinum toxin to the calves',
  oralAntispasmodicPlan: 'Continue oral baclofen',
  goals: 'Easier hygiene',
  // Recorded at 10:00, an hour after the 09:00 bolus: the screening started at 08:30.
  startedAt: '2026-11-24T08:30:00Z',
};

const mas = (left: string, right: string) => [
  { muscleGroup: 'hip-adductors', side: 'left', grade: left },
  { muscleGroup: 'hip-adductors', side: 'right', grade: right },
];

for (const dialect of DIALECTS) {
  describe(`test-dose API on ${dialect}`, () => {
    let t: TestApp;
    let physio = '';
    let consultant = '';
    let booking = '';
    let manager = '';
    let patientId = '';
    let assessmentId = '';
    let episodeId = '';
    let bolusId = '';
    const api = (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
    const refusedOn = async (
      res: Awaited<ReturnType<typeof api>>,
      field: string,
      message?: RegExp,
    ): Promise<void> => {
      assert.equal(res.statusCode, 400, res.body);
      const body = res.json<ApiError>();
      assert.equal(body.error.code, 'VALIDATION_FAILED');
      const hit = body.error.fields.find((f) => f.field === field);
      assert.ok(hit, `expected an error on ${field}: ${res.body}`);
      if (message) {
        assert.match(hit.message, message);
      }
    };

    before(async () => {
      t = await startTestApp(dialect);
      const pat = await addTestUser(t, 'physiotherapist', 'pat');
      physio = await apiTokenFor(t, pat);
      const cora = await addTestUser(t, 'consultant', 'cora');
      consultant = await apiTokenFor(t, cora);
      booking = await apiTokenFor(t, await addTestUser(t, 'booking-coordinator', 'bea'));
      manager = await apiTokenFor(t, await addTestUser(t, 'service-manager', 'max'));
      patientId = (await registerAnn(t, pat)).id;
      // Ann was selected for a test dose (the bedside gate: test-dose-gate-api.test.ts).
      assessmentId = await decidedAssessment(
        { db: t.deps.database.db, clock: t.clock },
        actorOf(cora, null),
        patientId,
        { decision: 'proceed-to-test-dose' },
      );
    });
    after(async () => {
      await t.close();
    });

    // One journey through the API: each step uses what the step before it made, so the steps run

    // in order inside one test, and the test runs alone or in any order among the others.

    it('runs as one journey, each step in order', async (journey) => {
      await journey.test('lists no episodes, and keeps them from those without access', async () => {
        const res = await api('GET', `/api/v1/patients/${patientId}/test-doses`, booking);
        assert.equal(res.statusCode, 200);
        assert.deepEqual(res.json(), { patientId, episodes: [] });
        assert.equal((await api('GET', `/api/v1/patients/${patientId}/test-doses`, manager)).statusCode, 403);
        assert.equal(
          (await api('POST', `/api/v1/patients/${patientId}/test-doses`, booking, PRE_CHECKS)).statusCode,
          403,
        );
        assert.equal((await api('GET', '/api/v1/patients/nobody/test-doses', physio)).statusCode, 404);
      });

      await journey.test('refuses a bad episode naming each field, and stores nothing', async () => {
        const url = `/api/v1/patients/${patientId}/test-doses`;
        await refusedOn(await api('POST', url, physio, { ...PRE_CHECKS, goals: undefined }), 'goals');
        const shape = await api('POST', url, physio, {
          ...PRE_CHECKS,
          noInfection: 'yes',
          botulinumToxinOn: '1 Sept',
        });
        await refusedOn(shape, 'noInfection', /yes or no/);
        await refusedOn(shape, 'botulinumToxinOn', /YYYY-MM-DD/);
        await refusedOn(
          await api('POST', url, physio, { ...PRE_CHECKS, botulinumToxinOn: '2026-12-01' }),
          'botulinumToxinOn',
          /today or in the past/,
        );
        await refusedOn(
          await api('POST', url, physio, { ...PRE_CHECKS, assessmentId: 'nope' }),
          'assessmentId',
        );
        assert.equal(await countRows(t.deps.database.db, 'test_dose_episodes'), 0);
      });

      await journey.test('starts an episode; a second is refused while it is open', async () => {
        const url = `/api/v1/patients/${patientId}/test-doses`;
        const res = await api('POST', url, physio, { ...PRE_CHECKS, assessmentId });
        assert.equal(res.statusCode, 201, res.body);
        const body = res.json<EpisodeBody>();
        episodeId = body.id;
        assert.equal(body.state, 'open');
        assert.equal(body.preChecks.noInfection, true);
        assert.deepEqual(body.nextBolus, {
          ladderDoseMcg: 50,
          ladderVolumeMl: 1,
          earliestAt: null,
          blockers: [],
        });
        const again = await api('POST', url, physio, { ...PRE_CHECKS, assessmentId });
        assert.equal(again.statusCode, 409);
        assert.equal(again.json<ApiError>().error.code, 'INVALID_STATE');
        assert.equal(await countRows(t.deps.database.db, 'test_dose_episodes'), 1);
      });

      await journey.test(
        'records a bolus only from a prescriber, refusing mg, local times and off-ladder doses by field',
        async () => {
          const url = `/api/v1/test-doses/${episodeId}/boluses`;
          const bolus = {
            doseMcg: 50,
            route: 'lumbar-puncture',
            givenAt: '2026-11-24T09:00:00Z',
            checkedBy: 'Nina Nurse',
          };
          assert.equal((await api('POST', url, physio, bolus)).statusCode, 403);
          await refusedOn(
            await api('POST', url, consultant, { ...bolus, doseMcg: 0.05 }),
            'doseMcg',
            /milligrams/,
          );
          await refusedOn(
            await api('POST', url, consultant, { ...bolus, givenAt: '2026-11-24T09:00' }),
            'givenAt',
            /UTC offset/,
          );
          await refusedOn(await api('POST', url, consultant, { ...bolus, route: 'iv' }), 'route');
          await refusedOn(
            await api('POST', url, consultant, { ...bolus, doseMcg: 100 }),
            'offLadderReason',
            /next step of the screening ladder \(50 mcg\)/,
          );
          await refusedOn(
            await api('POST', url, consultant, { ...bolus, concentrationMcgPerMl: 500 }),
            'concentrationReason',
          );
          assert.equal(await countRows(t.deps.database.db, 'test_dose_boluses'), 0);
          const res = await api('POST', url, consultant, bolus);
          assert.equal(res.statusCode, 201, res.body);
          const b = res.json<EpisodeBody>().boluses[0]!;
          bolusId = b.id;
          assert.equal(b.doseMcg, 50);
          assert.equal(b.volumeMl, 1);
          assert.equal(b.givenAt, '2026-11-24T09:00:00.000Z');
          const next = await api('POST', url, consultant, {
            ...bolus,
            doseMcg: 75,
            givenAt: '2026-11-24T10:00:00Z',
          });
          assert.equal(next.statusCode, 409);
          assert.match(next.json<ApiError>().error.message, /Confirm the result of bolus 1/);
        },
      );

      await journey.test(
        'records observations once per configured hour and suggests the result',
        async () => {
          const url = `/api/v1/test-doses/${episodeId}/boluses/${bolusId}/observations`;
          // Observed at 08:50 (baseline) and 13:00 (4 hours), recorded at 14:00.
          t.clock.set('2026-11-24T14:00:00.000Z');
          const base = '2026-11-24T08:50:00Z';
          const at4 = '2026-11-24T13:00:00Z';
          await refusedOn(
            await api('POST', url, physio, { hour: 3, observedAt: base, mas: mas('3', '3') }),
            'hour',
            /0, 2, 4, 6, 8/,
          );
          await refusedOn(
            await api('POST', url, physio, {
              hour: 0,
              observedAt: base,
              mas: [{ muscleGroup: 'hip-adductors', side: 'left', grade: 1.5 }],
            }),
            'mas.0.grade',
          );
          await refusedOn(await api('POST', url, physio, { hour: 0, mas: mas('3', '1+') }), 'observedAt');
          await refusedOn(
            await api('POST', url, physio, { hour: 0, observedAt: '2026-11-24T08:50', mas: mas('3', '1+') }),
            'observedAt',
            /with its UTC offset/,
          );
          const baseline = { hour: 0, observedAt: base, mas: mas('3', '1+') };
          assert.equal((await api('POST', url, physio, baseline)).statusCode, 201);
          await refusedOn(
            await api('POST', url, physio, { hour: 0, observedAt: base, mas: mas('3', '3') }),
            'hour',
            /already/,
          );
          // A "4 hours" observation 30 minutes after the bolus.
          await refusedOn(
            await api('POST', url, physio, {
              hour: 4,
              observedAt: '2026-11-24T09:30:00Z',
              mas: mas('1', '0'),
            }),
            'observedAt',
            /4 hours after the bolus, at 24 November 2026, 13:00, give or take 30 minutes/,
          );
          const four = await api('POST', url, physio, {
            hour: 4,
            observedAt: at4,
            mas: mas('1', '0'),
            spo2Percent: 97,
          });
          assert.equal(four.statusCode, 201, four.body);
          const b = four.json<EpisodeBody>().boluses[0]!;
          assert.deepEqual(
            b.observations.map((o) => o.hour),
            [0, 4],
          );
          assert.equal(b.observations[0]?.mas[1]?.grade, '1+');
          assert.equal(b.observations[1]?.observedAt, '2026-11-24T13:00:00.000Z');
          // 3 and 1+ (1.5) down to 1 and 0: a mean drop of exactly 1.75 → 2 needed, so negative.
          assert.equal(b.suggestion.outcome, 'negative');
          assert.equal(b.suggestion.drop, 1.75);
          assert.equal(await countRows(t.deps.database.db, 'test_dose_observations'), 2);
        },
      );

      await journey.test(
        'confirms a result: a different one needs a reason; positive gives the starting dose',
        async () => {
          const url = `/api/v1/test-doses/${episodeId}/boluses/${bolusId}/result`;
          assert.equal(
            (await api('POST', url, physio, { result: 'negative', adverseReactions: false })).statusCode,
            403,
          );
          await refusedOn(
            await api('POST', url, consultant, { result: 'maybe', adverseReactions: false }),
            'result',
          );
          await refusedOn(
            await api('POST', url, consultant, {
              result: 'positive',
              effectHours: 10,
              adverseReactions: false,
            }),
            'reason',
            /differs from the suggestion/,
          );
          const res = await api('POST', url, consultant, {
            result: 'positive',
            reason: 'Sitting and hygiene much easier; family agrees',
            effectHours: 10,
            adverseReactions: false,
          });
          assert.equal(res.statusCode, 200, res.body);
          const body = res.json<EpisodeBody>();
          assert.equal(body.state, 'positive');
          assert.equal(body.nextBolus, null);
          assert.deepEqual(body.boluses[0]?.result?.suggestedOutcome, 'negative');
          // The effect lasted more than 8 hours: the starting dose is the test dose itself [LABEL-SKY].
          assert.deepEqual(body.startingDose, {
            testDoseMcg: 50,
            effectHours: 10,
            adverseReactions: false,
            dailyDoseMcg: 50,
            rule: 'same',
          });
          const read = await api('GET', `/api/v1/test-doses/${episodeId}`, booking);
          assert.equal(read.statusCode, 200);
          assert.equal(read.json<EpisodeBody>().state, 'positive');
          assert.equal((await api('GET', '/api/v1/test-doses/nope', booking)).statusCode, 404);
          const abandon = await api('POST', `/api/v1/test-doses/${episodeId}/abandon`, physio, {
            reason: 'Too late',
          });
          assert.equal(abandon.statusCode, 409);
          const list = await api('GET', `/api/v1/patients/${patientId}/test-doses`, physio);
          assert.deepEqual(
            list
              .json<{ episodes: { state: string; dosesMcg: number[] }[] }>()
              .episodes.map((e) => [e.state, e.dosesMcg]),
            [['positive', [50]]],
          );
        },
      );

      await journey.test('abandons an open episode with a reason', async () => {
        const started = await api('POST', `/api/v1/patients/${patientId}/test-doses`, physio, {
          goals: 'Walk further',
          assessmentId,
        });
        assert.equal(started.statusCode, 201);
        const id = started.json<EpisodeBody>().id;
        assert.deepEqual(
          started.json<EpisodeBody>().nextBolus?.blockers.map((b) => b.field),
          ['noInfection', 'anticoagulantsReviewed', 'recentBotulinumToxin', 'oralAntispasmodicPlan'],
        );
        const blocked = await api('POST', `/api/v1/test-doses/${id}/boluses`, consultant, {
          doseMcg: 50,
          route: 'catheter',
          givenAt: '2026-11-25T09:00:00Z',
          checkedBy: 'Nina Nurse',
        });
        assert.equal(blocked.statusCode, 409);
        assert.equal(blocked.json<ApiError>().error.fields[0]?.field, 'noInfection');
        await refusedOn(
          await api('POST', `/api/v1/test-doses/${id}/pre-checks`, physio, { ...PRE_CHECKS, goals: '' }),
          'goals',
        );
        assert.equal(
          (await api('POST', `/api/v1/test-doses/${id}/pre-checks`, booking, PRE_CHECKS)).statusCode,
          403,
        );
        const checked = await api('POST', `/api/v1/test-doses/${id}/pre-checks`, physio, PRE_CHECKS);
        assert.equal(checked.statusCode, 200, checked.body);
        assert.deepEqual(checked.json<EpisodeBody>().nextBolus?.blockers, []);
        await refusedOn(
          await api('POST', `/api/v1/test-doses/${id}/abandon`, physio, { reason: '' }),
          'reason',
        );
        const res = await api('POST', `/api/v1/test-doses/${id}/abandon`, physio, {
          reason: 'Patient declined',
        });
        assert.equal(res.statusCode, 200);
        assert.equal(res.json<EpisodeBody>().state, 'abandoned');
      });

      await journey.test('documents every endpoint in the OpenAPI document', async () => {
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
        const doc = res.json<{ paths: Record<string, Record<string, unknown>> }>();
        for (const [path, method] of [
          ['/api/v1/patients/{patientId}/test-doses', 'get'],
          ['/api/v1/patients/{patientId}/test-doses', 'post'],
          ['/api/v1/test-doses/{id}', 'get'],
          ['/api/v1/test-doses/{id}/pre-checks', 'post'],
          ['/api/v1/test-doses/{id}/boluses', 'post'],
          ['/api/v1/test-doses/{id}/boluses/{bolusId}/observations', 'post'],
          ['/api/v1/test-doses/{id}/boluses/{bolusId}/result', 'post'],
          ['/api/v1/test-doses/{id}/abandon', 'post'],
        ] as const) {
          assert.ok(doc.paths[path]?.[method], `${method} ${path} is documented`);
        }
      });
    });
  });
}
