import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, addMonths, type PlainDate } from './calendar-date.ts';
import { findPumpModel, PUMP_MODELS, pumpLifeDates, type PumpModel } from './pump-device.ts';

const d = (s: string) => s as PlainDate;
const synchromed = findPumpModel('synchromed-ii')!;
const prometra = findPumpModel('prometra-ii')!;

describe('addMonths', () => {
  const cases: [string, number, string][] = [
    ['2026-01-15', 1, '2026-02-15'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-05-31', 1, '2026-06-30'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-03-31', -25, '2024-02-29'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-01-15', -13, '2024-12-15'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-11-30', 2, '2027-01-30'],
    ['2026-12-31', 12, '2027-12-31'],
    ['2026-01-31', 0, '2026-01-31'],
    ['2020-01-15', 84, '2027-01-15'],
    ['2020-02-29', 84, '2027-02-28'],
    ['2020-02-29', 48, '2024-02-29'],
    ['2020-02-29', 12, '2021-02-28'],
    ['2027-01-15', -6, '2026-07-15'],
    ['1999-12-31', 2, '2000-02-29'],
    ['2099-12-31', 2, '2100-02-28'],
    ['2000-03-31', -1200, '1900-03-31'],
  ];
  for (const [from, months, expected] of cases) {
    it(`${from} ${months < 0 ? '−' : '+'} ${Math.abs(months)} months → ${expected}`, () => {
      assert.equal(addMonths(d(from), months), expected);
    });
  }

  it('refuses a part month', () => {
    assert.throws(() => addMonths(d('2026-01-15'), 1.5), RangeError);
    assert.throws(() => addMonths(d('2026-01-15'), Number.NaN), RangeError);
  });

  it('lands in the right month, on the same day or the last day of a shorter month', () => {
    const monthLength = (y: number, m: number) =>
      m === 2
        ? (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
          ? 29
          : 28
        : [4, 6, 9, 11].includes(m)
          ? 30
          : 31;
    fc.assert(
      fc.property(
        fc.integer({ min: 1990, max: 2090 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: -240, max: 240 }),
        (y, m, rawDay, months) => {
          const day = Math.min(rawDay, monthLength(y, m));
          const from = `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const result = addMonths(d(from), months);
          const [ry, rm, rd] = result.split('-').map(Number) as [number, number, number];
          assert.equal(ry * 12 + rm - (y * 12 + m), months);
          assert.equal(rd, Math.min(day, monthLength(ry, rm)));
          if (day <= 28) {
            assert.equal(addMonths(result, -months), from);
          }
        },
      ),
    );
  });
});

describe('pump models', () => {
  it('lists SynchroMed II and Prometra II with unique ids', () => {
    const ids = PUMP_MODELS.map((m) => m.id);
    assert.deepEqual(ids, ['synchromed-ii', 'prometra-ii']);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(findPumpModel('no-such-pump'), undefined);
  });

  it('SynchroMed II: 20 and 40 mL, 84 months, replace 6 months before, 90 days after ERI, alarm volume a GAP', () => {
    assert.deepEqual(synchromed.reservoirSizesMl, [20, 40]);
    assert.equal(synchromed.serviceLifeMonths, 84);
    assert.equal(synchromed.replacementLeadMonths, 6);
    assert.equal(synchromed.eriRunDays, 90);
    assert.equal(
      synchromed.defaultAlarmMl,
      null,
      'no source gives the alarm volume: read it off the programmer',
    );
    assert.equal(synchromed.mriRule, 'interrogate-after');
  });

  it('Prometra II must be emptied before MRI and has no ERI run time', () => {
    assert.equal(prometra.mriRule, 'empty-before');
    assert.equal(prometra.eriRunDays, null);
    assert.match(prometra.mriAdvice, /Empty the pump before any MRI/);
  });
});

describe('worked example 19: pump life dates (replacement margin 30 days)', () => {
  const MARGIN = 30;

  it('(a) implanted 2020-01-15: end of service 2027-01-15, replace by 2026-07-15', () => {
    // 2020-01-15 + 84 months = 2027-01-15; − 6 months lead time = 2026-07-15.
    assert.deepEqual(pumpLifeDates(synchromed, d('2020-01-15'), null, MARGIN), {
      endOfService: '2027-01-15',
      replaceBy: '2026-07-15',
      stopsAfterEri: null,
    });
  });

  it('(b) ERI on 2025-03-03: stops by 2025-06-01, so replace by 2025-05-02, 30 days before it stops', () => {
    // 2025-03-03 + 90 days = 2025-06-01 (28 + 30 + 31 + 1); 2025-06-01 − 30 days = 2025-05-02,
    // earlier than the planned 2026-07-15.
    assert.deepEqual(pumpLifeDates(synchromed, d('2020-01-15'), d('2025-03-03'), MARGIN), {
      endOfService: '2027-01-15',
      replaceBy: '2025-05-02',
      stopsAfterEri: '2025-06-01',
    });
  });

  it('takes the margin from configuration: 45 days gives 2025-04-17, 0 days the stop date itself', () => {
    // 2025-06-01 − 45 days: − 1 = 31 May, − 31 = 30 April, − 13 = 17 April.
    assert.equal(pumpLifeDates(synchromed, d('2020-01-15'), d('2025-03-03'), 45).replaceBy, '2025-04-17');
    assert.equal(pumpLifeDates(synchromed, d('2020-01-15'), d('2025-03-03'), 0).replaceBy, '2025-06-01');
  });

  it('an ERI stop later than the planned replacement leaves the replace-by date alone', () => {
    // 2026-06-01 + 90 days = 2026-08-30; − 30 days = 2026-07-31, after the planned 2026-07-15.
    assert.deepEqual(pumpLifeDates(synchromed, d('2020-01-15'), d('2026-06-01'), MARGIN), {
      endOfService: '2027-01-15',
      replaceBy: '2026-07-15',
      stopsAfterEri: '2026-08-30',
    });
  });

  it('an ERI replace-by date falling on the planned replace-by date gives that date', () => {
    // 2026-05-16 + 90 days = 2026-08-14 (15 + 30 + 31 + 14); − 30 days = 2026-07-15.
    const life = pumpLifeDates(synchromed, d('2020-01-15'), d('2026-05-16'), MARGIN);
    assert.equal(life.stopsAfterEri, '2026-08-14');
    assert.equal(life.replaceBy, '2026-07-15');
  });

  it('implanted on 29 February 2020: 84 months later is 28 February 2027', () => {
    const life = pumpLifeDates(synchromed, d('2020-02-29'), null, MARGIN);
    assert.equal(life.endOfService, '2027-02-28');
    assert.equal(life.replaceBy, '2026-08-28');
  });

  it('a model with no ERI run time gives no ERI stop date', () => {
    const life = pumpLifeDates(prometra, d('2020-01-15'), d('2025-03-03'), MARGIN);
    assert.equal(life.stopsAfterEri, null);
    assert.equal(life.endOfService, '2030-01-15');
    assert.equal(life.replaceBy, '2029-07-15');
  });

  it('replace-by is before the end of service and at least the margin before the ERI stop', () => {
    const dateArb = fc.integer({ min: 0, max: 365 * 30 }).map((n) => addDays(d('2000-01-01'), n));
    fc.assert(
      fc.property(
        fc.constantFrom<PumpModel>(...PUMP_MODELS),
        dateArb,
        fc.option(fc.integer({ min: 0, max: 365 * 10 })),
        fc.integer({ min: 0, max: 89 }),
        (model, implantedOn, eriAfter, margin) => {
          const eriOn = eriAfter === null ? null : addDays(implantedOn, eriAfter);
          const life = pumpLifeDates(model, implantedOn, eriOn, margin);
          assert.equal(life.endOfService, addMonths(implantedOn, model.serviceLifeMonths));
          assert.ok(life.replaceBy < life.endOfService);
          if (life.stopsAfterEri !== null) {
            assert.ok(life.replaceBy <= addDays(life.stopsAfterEri, -margin));
          }
          assert.equal(life.stopsAfterEri === null, eriOn === null || model.eriRunDays === null);
        },
      ),
    );
  });
});
