import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { addDays, addMonths, isoWeekday, type PlainDate } from './calendar-date.ts';
import { expectedResidualMl, refillPlan, type RefillPlanInput } from './refill-arithmetic.ts';
import { workingDayOnOrBefore } from './working-days.ts';
import { CLOCK_CHANGES, countDays } from '../../test/support/test-calendar.ts';
import { example4 } from '../../test/support/refill-plan-fixtures.ts';

/**
 * The refill arithmetic's dates: the independent test calendar checked first, then fills across
 * every UK clock change 2024–2030 and 29 February, and the process time zone.
 */

const d = (s: string) => s as PlainDate;

describe('the test calendar itself', () => {
  it('finds the published UK clock changes 2024–2030', () => {
    assert.deepEqual(CLOCK_CHANGES, [
      '2024-03-31',
      '2024-10-27',
      '2025-03-30',
      '2025-10-26',
      '2026-03-29',
      '2026-10-25',
      '2027-03-28',
      '2027-10-31',
      '2028-03-26',
      '2028-10-29',
      '2029-03-25',
      '2029-10-28',
      '2030-03-31',
      '2030-10-27',
    ]);
  });

  it('counts across 29 February and back', () => {
    assert.equal(countDays('2028-02-28', 1), '2028-02-29');
    assert.equal(countDays('2027-02-28', 1), '2027-03-01');
    assert.equal(countDays('2028-03-01', -1), '2028-02-29');
    assert.equal(countDays('2024-12-31', 1), '2025-01-01');
  });
});

// ---------------------------------------------------------------------------------------------
// Clock changes, 29 February and the process time zone
// ---------------------------------------------------------------------------------------------

const dateFills: string[] = [
  ...CLOCK_CHANGES.flatMap((change) => [countDays(change, -1), change, countDays(change, 1)]),
  '2024-02-29',
  '2028-02-29',
];

/** Plans with known exact whole days (in integers: tenths of mL, mcg, mcg/mL). */
const datePlans: { fillTenths: number; alarmTenths: number; concentration: number; dose: number }[] = [
  { fillTenths: 200, alarmTenths: 20, concentration: 500, dose: 150 }, // 60 days
  { fillTenths: 400, alarmTenths: 20, concentration: 2000, dose: 300 }, // 253.3 days
  { fillTenths: 200, alarmTenths: 15, concentration: 1000, dose: 400 }, // 46.25 days
  { fillTenths: 200, alarmTenths: 30, concentration: 500, dose: 1000 }, // 8.5 days
  { fillTenths: 186, alarmTenths: 20, concentration: 2000, dose: 97 }, // 342.2 days
  { fillTenths: 200, alarmTenths: 20, concentration: 500, dose: 250 }, // 36 days
];

function planFor(filledOn: string, p: (typeof datePlans)[number]): RefillPlanInput {
  return {
    reservoirMl: p.fillTenths > 200 ? 40 : 20,
    fillMl: p.fillTenths / 10,
    alarmMl: p.alarmTenths / 10,
    concentrationMcgPerMl: p.concentration,
    doseMcgPerDay: p.dose,
    filledOn: d(filledOn),
    bufferDays: 7,
    maxIntervalDays: 180,
  };
}

describe('dates across every UK clock change 2024–2030 and 29 February', () => {
  for (const filledOn of dateFills) {
    it(`a fill on ${filledOn}: alarm = fill + whole days by calendar count`, () => {
      for (const p of datePlans) {
        const wholeDays = Math.floor(((p.fillTenths - p.alarmTenths) * p.concentration) / (10 * p.dose));
        const plan = refillPlan(planFor(filledOn, p));
        assert.equal(plan.alarmDate, countDays(filledOn, wholeDays), JSON.stringify(p));
        const byAlarm = countDays(filledOn, wholeDays - 7);
        const byStability = countDays(filledOn, 180);
        assert.equal(plan.refillDueBy, byStability < byAlarm ? byStability : byAlarm);
        // Two calendar days after the fill are two days of drug, whatever the clocks did.
        const residual = expectedResidualMl({
          fillMl: p.fillTenths / 10,
          filledOn: d(filledOn),
          dailyVolumeMl: plan.dailyVolumeMl,
          on: d(countDays(filledOn, 2)),
        });
        assert.ok(Math.abs(residual - (p.fillTenths / 10 - 2 * plan.dailyVolumeMl)) < 1e-12);
      }
    });
  }

  it('an alarm date can fall on 29 February', () => {
    // 18 mL at 0.6 mL/day = 30 days: 30 January 2028 + 30 days.
    const plan = refillPlan({ ...example4, doseMcgPerDay: 300, filledOn: d('2028-01-30') });
    assert.equal(plan.alarmDate, '2028-02-29');
    assert.equal(plan.refillDueBy, '2028-02-22');
  });

  it('a fill on 29 February counts 180 days like any other day', () => {
    const plan = refillPlan({
      ...example4,
      reservoirMl: 40,
      fillMl: 40,
      concentrationMcgPerMl: 2000,
      doseMcgPerDay: 300,
      filledOn: d('2024-02-29'),
    });
    assert.equal(plan.limitedBy, 'stability');
    assert.equal(plan.refillDueBy, countDays('2024-02-29', 180));
    assert.equal(plan.refillDueBy, '2024-08-27');
  });
});

describe('the process time zone changes nothing', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) {
      delete process.env.TZ;
    } else {
      process.env.TZ = originalTz;
    }
  });

  /** Everything date-like the refill arithmetic produces, for the same inputs. */
  function everything(): unknown[] {
    const closed = new Set(['2026-12-25', '2026-12-28', '2027-03-26', '2027-03-29']);
    return dateFills.flatMap((filledOn) => [
      ...datePlans.map((p) => refillPlan(planFor(filledOn, p))),
      expectedResidualMl({
        fillMl: 20,
        filledOn: d(filledOn),
        dailyVolumeMl: 0.3,
        on: d(countDays(filledOn, 1)),
      }),
      addDays(d(filledOn), 1),
      addDays(d(filledOn), -1),
      addMonths(d(filledOn), 1),
      isoWeekday(d(filledOn)),
      workingDayOnOrBefore(d(filledOn), closed),
    ]);
  }

  it('gives identical results with TZ set to Europe/London, UTC and far-off zones', () => {
    process.env.TZ = 'UTC';
    const utc = everything();
    // Check the runtime TZ change really took effect, so the comparison means something.
    assert.equal(new Date(2026, 6, 1).getTimezoneOffset(), 0);
    process.env.TZ = 'Europe/London';
    assert.equal(new Date(2026, 6, 1).getTimezoneOffset(), -60, 'BST in July');
    assert.equal(new Date(2026, 0, 1).getTimezoneOffset(), 0, 'GMT in January');
    assert.deepEqual(everything(), utc);
    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Australia/Lord_Howe']) {
      process.env.TZ = tz;
      assert.deepEqual(everything(), utc, tz);
    }
  });
});
