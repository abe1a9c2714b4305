import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import {
  addTestUser,
  apiTokenFor,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

/**
 * The prescription API's two bands: a hard limit is a 400 naming its field whatever the reason;
 * a warning is a 400 naming `reason` (the warnings in `error.details.warnings`) until a reason
 * is given, then a 201 returning them in `warnings`. The test clock's today is 24 November 2026.
 */

interface Warning {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly didYouMean?: number;
}
interface ApiError {
  readonly error: {
    readonly code: string;
    readonly fields: readonly { field: string; message: string }[];
    readonly details: { readonly warnings?: readonly Warning[] };
  };
}

const PUMP = {
  modelId: 'synchromed-ii',
  reservoirMl: 20,
  serialNumber: 'NGP900001H',
  implantedOn: '2026-11-02',
  surgeon: 'Mr P Jones',
  alarmMl: 2,
  origin: 'spinal',
};

/** Worked example 15 written with 24:00: 22:00–24:00 at 20, 00:00–06:00 at 20, 06:00–22:00 at 10. */
const EXAMPLE_15 = {
  mode: 'flex',
  schedules: [
    {
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      steps: [
        { start: '22:00', end: '24:00', rateMcgPerHour: 20 },
        { start: '00:00', end: '06:00', rateMcgPerHour: 20 },
        { start: '06:00', end: '22:00', rateMcgPerHour: 10 },
      ],
    },
  ],
};

describe('prescription API limits', () => {
  let t: TestApp;
  let nurseToken = '';
  let consultantToken = '';
  let pumpId = '';

  const post = (url: string, token: string, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      payload: payload as Record<string, unknown>,
    });
  const count = (): Promise<number> => countRows(t.deps.database.db, 'prescriptions');
  const refused = async (payload: unknown, field: string): Promise<ApiError['error']> => {
    const res = await post(`/pumps/${pumpId}/prescriptions`, nurseToken, payload);
    assert.equal(res.statusCode, 400, res.body);
    const { error } = res.json<ApiError>();
    assert.equal(error.code, 'VALIDATION_FAILED');
    assert.ok(
      error.fields.some((f) => f.field === field),
      `expected an error on ${field}: ${res.body}`,
    );
    return error;
  };

  before(async () => {
    t = await startTestApp('sqlite');
    const nurse = await addTestUser(t, 'nurse-specialist', 'nina');
    const consultant = await addTestUser(t, 'consultant', 'carl');
    nurseToken = await apiTokenFor(t, nurse);
    consultantToken = await apiTokenFor(t, consultant);
    const patientId = (await registerAnn(t, nurse)).id;
    const res = await post(`/patients/${patientId}/pumps`, nurseToken, PUMP);
    assert.equal(res.statusCode, 201, res.body);
    pumpId = res.json<{ id: string }>().id;
  });
  after(async () => {
    await t.close();
  });

  // One journey through the API: each step uses what the step before it made, so the steps run

  // in order inside one test, and the test runs alone or in any order among the others.

  it('runs as one journey, each step in order', async (journey) => {
    await journey.test('refuses a hard limit naming the field, whatever the reason', async () => {
      const reason = 'As written';
      const base = { concentrationMcgPerMl: 500, phase: 'titration', reason };
      const strength = await refused(
        { ...base, concentrationMcgPerMl: 750, programme: { mode: 'simple', doseMcgPerDay: 400 } },
        'concentrationMcgPerMl',
      );
      assert.match(strength.fields[0]?.message ?? '', /500, 1,000 or 2,000 mcg\/mL/);
      await refused(
        { ...base, programme: { mode: 'simple', doseMcgPerDay: 3001 } },
        'programme.doseMcgPerDay',
      );
      // 1.5 ÷ 500 = 0.003 mL/day: below what a SynchroMed II delivers; the warning still says what 1.5 would be.
      const slip = await refused(
        { ...base, programme: { mode: 'simple', doseMcgPerDay: 1.5 } },
        'programme.doseMcgPerDay',
      );
      assert.match(slip.fields[0]?.message ?? '', /did you mean 1,500 mcg\/day\?/);
      assert.equal(slip.details.warnings?.[0]?.didYouMean, 1500);
      await refused(
        {
          ...base,
          programme: {
            ...EXAMPLE_15,
            schedules: [
              { ...EXAMPLE_15.schedules[0], steps: [{ start: '24:00', end: '24:00', rateMcgPerHour: 10 }] },
            ],
          },
        },
        'programme.schedules.0.steps.0.start',
      );
      assert.equal(await count(), 0);
    });

    await journey.test(
      'refuses a warning without a reason (400 naming reason, the warnings in details), then returns them with the 201',
      async () => {
        const body = { concentrationMcgPerMl: 2000, phase: 'titration', programme: EXAMPLE_15 };
        const error = await refused(body, 'reason');
        assert.deepEqual(
          error.details.warnings?.map((w) => [w.code, w.field]),
          [
            // 22:00–24:00 gives 40 mcg (12.5 %), 00:00–06:00 gives 120 (37.5 %), 06:00–22:00 gives 160 (50 %) of 320;
            // the mean rate is 320 ÷ 24 = 13.33 mcg/h, so only the night steps at 20 mcg/h can bunch the dose.
            ['FLEX_STEP_LARGE_SHARE', 'programme.schedules.0.steps'],
            ['NO_POSITIVE_TEST_DOSE', undefined],
          ],
        );
        assert.match(
          error.fields[0]?.message ?? '',
          /^Give the reason: Of the day’s 320 mcg, the step from 00:00 to 06:00 gives 120 mcg \(37\.5%\) at 20 mcg\/h: more than the usual 25% for one step/,
        );
        assert.equal(await count(), 0);
        // The pump's first prescription: in maintenance it is refused whatever the reason.
        const first = await refused(
          { ...body, phase: 'maintenance', reason: 'On this dose elsewhere' },
          'phase',
        );
        assert.match(
          first.fields.find((f) => f.field === 'phase')?.message ?? '',
          /^A new pump starts in titration/,
        );
        assert.equal(await count(), 0);

        const res = await post(`/pumps/${pumpId}/prescriptions`, nurseToken, {
          ...body,
          reason: 'More at night for spasms; test dose given at another centre',
        });
        assert.equal(res.statusCode, 201, res.body);
        const p = res.json<{
          id: string;
          warnings: Warning[];
          doseMcgPerDay: number;
          limitPhase: string | null;
          programme: typeof EXAMPLE_15;
        }>();
        assert.deepEqual(
          p.warnings.map((w) => w.code),
          ['FLEX_STEP_LARGE_SHARE', 'NO_POSITIVE_TEST_DOSE'],
        );
        // 2 × 20 + 6 × 20 + 16 × 10 = 320 mcg/day; 24:00 kept as typed.
        assert.equal(p.doseMcgPerDay, 320);
        assert.equal(p.programme.schedules[0]?.steps[0]?.end, '24:00');
        assert.equal(p.limitPhase, null);

        // The checker sees the same warnings in the confirm response.
        const confirmed = await post(`/prescriptions/${p.id}/confirm`, consultantToken, {});
        assert.equal(confirmed.statusCode, 200, confirmed.body);
        assert.deepEqual(confirmed.json<{ warnings: Warning[] }>().warnings, p.warnings);
      },
    );

    await journey.test('documents warnings and limitPhase on prescriptions in OpenAPI', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      const post201 = JSON.stringify(
        res.json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>().paths[
          '/api/v1/pumps/{pumpId}/prescriptions'
        ]?.post?.responses['201'],
      );
      assert.match(post201, /"warnings"/);
      assert.match(post201, /"limitPhase"/);
      assert.match(post201, /DOSE_OUTSIDE_USUAL_RANGE/);
    });
  });
});
