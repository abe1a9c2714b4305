import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { DIALECTS } from '../../../../test/support/databases.ts';
import {
  addTestUser,
  registerAnn,
  startTestApp,
  type TestApp,
  apiTokenFor,
} from '../../../../test/support/test-app.ts';

interface ApiError {
  readonly error: { readonly code: string; readonly fields: readonly { field: string; message: string }[] };
}

interface SetBody {
  readonly id: string;
  readonly recordedOn: string;
  readonly mas: readonly { muscleGroup: string; side: string; grade: string }[];
  readonly baselineTScore: number | null;
  readonly achievedTScore: number | null;
  readonly painChange: number | null;
  readonly painChangeMeaningful: boolean;
}

/** The test clock's today is 24 November 2026. */
/** A review two weeks later: every goal scored, pain down from 7 to 4. */
const REVIEW = {
  recordedOn: '2026-11-24',
  occasion: 'review',
  painNrs: 4,
  gasGoals: [
    { text: 'Sit in wheelchair for 2 hours', weight: 2, baseline: -1, achieved: 1 },
    { text: 'Easier perineal care', weight: 1, baseline: -2, achieved: 2 },
  ],
};

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
    { text: 'Sit in wheelchair for 2 hours', weight: 2, baseline: -1 },
    { text: 'Easier perineal care', weight: 1, baseline: -2 },
  ],
};

for (const dialect of DIALECTS) {
  describe(`outcome measures API on ${dialect}`, () => {
    let t: TestApp;
    let physioToken = '';
    let bookingToken = '';
    let managerToken = '';
    let patientId = '';
    const url = () => `/api/v1/patients/${patientId}/measures`;
    const api = (method: 'GET' | 'POST', path: string, token: string, payload?: unknown) =>
      t.app.inject({
        method,
        url: path,
        headers: { authorization: `Bearer ${token}` },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
    /** Records a set as the physiotherapist, for a test that starts from stored sets. */
    const recorded = async (payload: unknown) => {
      const res = await api('POST', url(), physioToken, payload);
      assert.equal(res.statusCode, 201, res.body);
    };
    const refusedOn = async (payload: unknown, field: string, message?: RegExp) => {
      const res = await api('POST', url(), physioToken, payload);
      assert.equal(res.statusCode, 400, res.body);
      const body = res.json<ApiError>();
      assert.equal(body.error.code, 'VALIDATION_FAILED');
      const hit = body.error.fields.find((f) => f.field === field);
      assert.ok(hit, `expected an error on ${field}: ${res.body}`);
      if (message) {
        assert.match(hit.message, message);
      }
    };

    // A fresh service for each test: Ann registered, and the tokens of a physiotherapist, a
    // booking coordinator and a service manager.
    beforeEach(async () => {
      t = await startTestApp(dialect);
      const pat = await addTestUser(t, 'physiotherapist', 'pat');
      physioToken = await apiTokenFor(t, pat);
      bookingToken = await apiTokenFor(t, await addTestUser(t, 'booking-coordinator', 'bea'));
      managerToken = await apiTokenFor(t, await addTestUser(t, 'service-manager', 'max'));
      patientId = (await registerAnn(t, pat)).id;
    });
    afterEach(async () => {
      await t.close();
    });

    it('refuses bad sets with 400 naming each field, storing nothing', async () => {
      await refusedOn(
        { ...BASELINE, mas: [{ muscleGroup: 'hip-adductors', side: 'left', grade: 1.5 }] },
        'mas.0.grade',
        /0, 1, 1\+, 2, 3 or 4/,
      );
      await refusedOn(
        { ...BASELINE, mas: [{ muscleGroup: 'hip-adductors', side: 'left', grade: '5' }] },
        'mas.0.grade',
      );
      await refusedOn(
        { ...BASELINE, pennFrequency: 0, pennSeverity: 2 },
        'pennSeverity',
        /only recorded when spasm frequency is above 0/,
      );
      await refusedOn(
        { ...BASELINE, gasGoals: [{ text: 'Transfers', weight: 1, baseline: -1, achieved: 3 }] },
        'gasGoals.0.achieved',
      );
      await refusedOn(
        { ...BASELINE, gasGoals: [{ text: 'Transfers', weight: 0, baseline: -1 }] },
        'gasGoals.0.weight',
      );
      await refusedOn(
        { ...BASELINE, mas: [BASELINE.mas[0], BASELINE.mas[0]] },
        'mas.1.muscleGroup',
        /more than once/,
      );
      await refusedOn({ recordedOn: '2026-11-10', occasion: 'review' }, 'measures');
      await refusedOn({ ...BASELINE, recordedOn: '2026-12-01' }, 'recordedOn');
      await refusedOn({ ...BASELINE, assessmentId: 'not-this-patients' }, 'assessmentId');
      assert.equal(await countRows(t.database.handle.db, 'outcome_measure_sets'), 0);
    });

    it('records a set (201) with grades as text and the baseline T-score', async () => {
      const res = await api('POST', url(), physioToken, BASELINE);
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json<SetBody>();
      assert.deepEqual(
        body.mas.map((m) => m.grade),
        ['3', '1+'],
      );
      // Weights 2 and 1, baselines −1 and −2: 50 + 10 × (−4) ÷ √(0.7 × 5 + 0.3 × 9) = 33.94.
      assert.equal(body.baselineTScore, 33.94);
      assert.equal(body.achievedTScore, null);
      assert.equal(await countRows(t.database.handle.db, 'outcome_measure_sets'), 1);
    });

    it('lists the sets oldest first with the achieved T-score (case 17) and the pain change', async () => {
      await recorded(BASELINE);
      assert.equal((await api('POST', url(), physioToken, REVIEW)).statusCode, 201);
      const res = await api('GET', url(), bookingToken);
      assert.equal(res.statusCode, 200, res.body);
      const { sets } = res.json<{ sets: SetBody[] }>();
      assert.deepEqual(
        sets.map((s) => s.recordedOn),
        ['2026-11-10', '2026-11-24'],
      );
      assert.equal(sets[1]!.achievedTScore, 66.06);
      assert.equal(sets[1]!.painChange, -3);
      assert.equal(sets[1]!.painChangeMeaningful, true);
    });

    it('refuses recording without measures:write, reading without patient:read, and unknown patients', async () => {
      await recorded(BASELINE);
      await recorded(REVIEW);
      assert.equal((await api('POST', url(), bookingToken, BASELINE)).statusCode, 403);
      assert.equal((await api('GET', url(), managerToken)).statusCode, 403);
      assert.equal((await api('GET', '/api/v1/patients/nobody/measures', physioToken)).statusCode, 404);
      assert.equal(
        (await api('POST', '/api/v1/patients/nobody/measures', physioToken, BASELINE)).statusCode,
        404,
      );
      assert.equal((await t.app.inject({ method: 'GET', url: url() })).statusCode, 401);
      assert.equal(await countRows(t.database.handle.db, 'outcome_measure_sets'), 2);
    });

    it('describes both operations in the OpenAPI document', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      const doc = res.json<{ paths: Record<string, Record<string, unknown>> }>();
      const path = doc.paths['/api/v1/patients/{patientId}/measures'];
      assert.ok(path?.get && path.post, Object.keys(doc.paths).join(', '));
      assert.match(JSON.stringify(path.post), /1\+/);
    });
  });
}
