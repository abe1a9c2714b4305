import { observedAt as observedAtHour } from '../../../../test/support/test-dose-episode-setup.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { DIALECTS } from '../../../../test/support/databases.ts';
import { decidedAssessment } from '../../../../test/support/test-dose-fixtures.ts';
import {
  addTestUser,
  apiTokenFor,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { actorOf } from '../../../services/audit-service.ts';

/**
 * The test-dose API's safety controls on both databases: the bedside gate and its overrides
 * (endpoints in OpenAPI), the required second checker, the bolus hard limit, BOLUS_OFF_LADDER in
 * the bolus and episode responses, and the effect duration that must be entered.
 */

interface ApiError {
  readonly error: { readonly code: string; readonly fields?: readonly { field: string; message: string }[] };
}

interface Warning {
  readonly code: string;
  readonly message: string;
}

interface EpisodeBody {
  readonly id: string;
  readonly overrideId: string | null;
  readonly warnings: readonly Warning[];
  readonly boluses: readonly { id: string; checkedBy: string | null; warnings: readonly Warning[] }[];
  readonly startingDose: { dailyDoseMcg: number; rule: string } | null;
}

const PRE_CHECKS = {
  noInfection: true,
  anticoagulantsReviewed: true,
  recentBotulinumToxin: false,
  oralAntispasmodicPlan: 'Continue oral baclofen',
  goals: 'Easier hygiene',
  // Recorded at 10:00, after the 09:00 bolus: the screening started at 08:30.
  startedAt: '2026-11-24T08:30:00Z',
};

for (const dialect of DIALECTS) {
  describe(`test-dose gate and bolus controls in the API on ${dialect}`, () => {
    let t: TestApp;
    let physio = '';
    let consultant = '';
    let second = '';
    let patientId = '';
    let allergic = '';
    let overrideId = '';
    let episodeId = '';
    const api = (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) =>
      t.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { authorization: `Bearer ${token}` },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
    const refusedOn = (res: Awaited<ReturnType<typeof api>>, field: string, message?: RegExp) => {
      assert.equal(res.statusCode, 400, res.body);
      const hit = res.json<ApiError>().error.fields?.find((f) => f.field === field);
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
      second = await apiTokenFor(t, await addTestUser(t, 'consultant', 'carl'));
      patientId = (await registerAnn(t, pat)).id;
      allergic = await decidedAssessment(
        { db: t.deps.database.db, clock: t.clock },
        actorOf(cora, null),
        patientId,
        { decision: 'proceed-to-test-dose', allergy: true },
      );
    });
    after(async () => {
      await t.close();
    });

    // One journey through the API: each step uses what the step before it made, so the steps run

    // in order inside one test, and the test runs alone or in any order among the others.

    it('runs as one journey, each step in order', async (journey) => {
      await journey.test(
        'refuses an episode with no assessment, or an assessment with an absolute contraindication',
        async () => {
          const url = `/patients/${patientId}/test-doses`;
          refusedOn(await api('POST', url, physio, PRE_CHECKS), 'assessmentId', /decided to proceed/);
          refusedOn(
            await api('POST', url, physio, { ...PRE_CHECKS, assessmentId: allergic }),
            'assessmentId',
            /absolute contraindication: [^;.]*allergic reaction to oral baclofen/,
          );
          assert.equal(await countRows(t.deps.database.db, 'test_dose_episodes'), 0);
        },
      );

      await journey.test(
        'records an override only by a consultant, with a reason, one waiting at a time (409)',
        async () => {
          const url = `/patients/${patientId}/test-dose-overrides`;
          assert.equal((await api('POST', url, physio, { reason: 'x' })).statusCode, 403);
          refusedOn(await api('POST', url, second, {}), 'reason');
          const res = await api('POST', url, second, { reason: 'Not an allergy: allergy clinic letter' });
          assert.equal(res.statusCode, 201, res.body);
          const body = res.json<{ id: string; state: string; createdByName: string }>();
          overrideId = body.id;
          assert.equal(body.state, 'available');
          assert.equal(body.createdByName, 'Test consultant');
          const again = await api('POST', url, consultant, { reason: 'Another' });
          assert.equal(again.statusCode, 409);
          assert.equal(again.json<ApiError>().error.code, 'INVALID_STATE');
          const list = await api('GET', url, physio);
          assert.equal(list.statusCode, 200);
          assert.equal(list.json<{ overrides: unknown[] }>().overrides.length, 1);
        },
      );

      await journey.test(
        'refuses the override to its author, and starts the episode on it for a second person',
        async () => {
          const url = `/patients/${patientId}/test-doses`;
          refusedOn(
            await api('POST', url, second, { ...PRE_CHECKS, assessmentId: allergic, overrideId }),
            'overrideId',
            /You recorded this override/,
          );
          const res = await api('POST', url, physio, { ...PRE_CHECKS, assessmentId: allergic, overrideId });
          assert.equal(res.statusCode, 201, res.body);
          const body = res.json<EpisodeBody>();
          episodeId = body.id;
          assert.equal(body.overrideId, overrideId);
          const list = await api('GET', `/patients/${patientId}/test-dose-overrides`, physio);
          assert.equal(
            list.json<{ overrides: { state: string; episodeId: string }[] }>().overrides[0]?.state,
            'used',
          );
          const withdraw = await api('POST', `/test-dose-overrides/${overrideId}/withdraw`, second, {
            reason: 'x',
          });
          assert.equal(withdraw.statusCode, 409);
        },
      );

      await journey.test(
        'requires checkedBy and refuses a test bolus above 100 mcg, naming each field',
        async () => {
          const url = `/test-doses/${episodeId}/boluses`;
          const bolus = {
            doseMcg: 60,
            route: 'catheter',
            givenAt: '2026-11-24T09:00:00Z',
            checkedBy: 'Nina Nurse',
          };
          refusedOn(
            await api('POST', url, consultant, { doseMcg: 50, route: 'catheter', givenAt: bolus.givenAt }),
            'checkedBy',
            /second person who checked the dose drawn up/,
          );
          refusedOn(
            await api('POST', url, consultant, { ...bolus, checkedBy: 'TEST consultant' }),
            'checkedBy',
            /not you/,
          );
          refusedOn(
            await api('POST', url, consultant, { ...bolus, doseMcg: 3000, offLadderReason: 'x' }),
            'doseMcg',
            /must be 100 mcg or less/,
          );
          refusedOn(
            await api('POST', url, consultant, bolus),
            'offLadderReason',
            /Dose 60 mcg is not the next step/,
          );
          assert.equal(await countRows(t.deps.database.db, 'test_dose_boluses'), 0);
        },
      );

      await journey.test(
        'reports BOLUS_OFF_LADDER in the bolus and episode responses once accepted with a reason',
        async () => {
          const res = await api('POST', `/test-doses/${episodeId}/boluses`, consultant, {
            doseMcg: 60,
            route: 'catheter',
            givenAt: '2026-11-24T09:00:00Z',
            checkedBy: 'Nina Nurse',
            offLadderReason: 'Small adult, 38 kg',
          });
          assert.equal(res.statusCode, 201, res.body);
          const expected = [
            {
              code: 'BOLUS_OFF_LADDER',
              field: 'doseMcg',
              message: 'Dose 60 mcg is not the next step of the screening ladder (50 mcg)',
            },
          ];
          const body = res.json<EpisodeBody>();
          assert.deepEqual(body.boluses[0]?.warnings, expected);
          assert.deepEqual(body.warnings, expected);
          assert.equal(body.boluses[0].checkedBy, 'Nina Nurse');
          const read = await api('GET', `/test-doses/${episodeId}`, physio);
          assert.deepEqual(read.json<EpisodeBody>().warnings, expected);
        },
      );

      await journey.test(
        'requires the effect duration when the drop held at the last observation',
        async () => {
          const bolusId = (await api('GET', `/test-doses/${episodeId}`, physio)).json<EpisodeBody>()
            .boluses[0]!.id;
          const obs = `/test-doses/${episodeId}/boluses/${bolusId}/observations`;
          // The 8-hour observation is at 17:00.
          t.clock.set('2026-11-24T18:00:00.000Z');
          for (const [hour, grade] of [
            [0, '3'],
            [2, '1'],
            [4, '1'],
            [6, '1'],
            [8, '1'],
          ] as const) {
            const mas = ['left', 'right'].map((side) => ({ muscleGroup: 'hip-adductors', side, grade }));
            const observedAt = observedAtHour('2026-11-24T09:00:00Z', hour);
            assert.equal((await api('POST', obs, physio, { hour, observedAt, mas })).statusCode, 201);
          }
          const url = `/test-doses/${episodeId}/boluses/${bolusId}/result`;
          refusedOn(
            await api('POST', url, consultant, { result: 'positive', adverseReactions: false }),
            'effectHours',
            /still held at 8 hours, the last observation/,
          );
          const res = await api('POST', url, consultant, {
            result: 'positive',
            effectHours: 12,
            adverseReactions: false,
          });
          assert.equal(res.statusCode, 200, res.body);
          // 12 h > 8 h: the test dose itself, 60 mcg/day.
          assert.deepEqual(res.json<EpisodeBody>().startingDose, {
            testDoseMcg: 60,
            effectHours: 12,
            adverseReactions: false,
            dailyDoseMcg: 60,
            rule: 'same',
          });
        },
      );

      await journey.test('documents the override endpoints, and checkedBy as required', async () => {
        const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
          paths: Record<
            string,
            Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>
          >;
        }>();
        for (const [path, method] of [
          ['/api/v1/patients/{patientId}/test-dose-overrides', 'get'],
          ['/api/v1/patients/{patientId}/test-dose-overrides', 'post'],
          ['/api/v1/test-dose-overrides/{id}/withdraw', 'post'],
        ] as const) {
          assert.ok(doc.paths[path]?.[method], `${method} ${path} is documented`);
        }
        const bolusBody =
          doc.paths['/api/v1/test-doses/{id}/boluses']?.post?.requestBody?.content['application/json'];
        assert.ok(
          bolusBody?.schema.required?.includes('checkedBy'),
          'checkedBy is required in the bolus body',
        );
      });
    });
  });
}
