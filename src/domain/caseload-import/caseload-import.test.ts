import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from '../calendar-date.ts';
import { DEFAULT_PUMP_RULES } from '../pump-rules.ts';
import { checkCaseload } from './caseload-check.ts';
import { cellDate, cellNumber, type Cell } from './cells.ts';
import { CASELOAD_COLUMNS } from './columns.ts';
import { columnLetter, mapHeaders, mappingUsable } from './header-mapping.ts';
import { PROBLEM_CODES, type ProblemCode } from './problems.ts';
import { checkCaseloadRow, modelFromText, type CaseloadCheckContext } from './row-checks.ts';

const TODAY = '2026-12-01' as PlainDate;
const HEADERS = CASELOAD_COLUMNS.map((c) => c.label);
const MAPPING = mapHeaders(HEADERS);
const NONE: CaseloadCheckContext = {
  today: TODAY,
  rules: DEFAULT_PUMP_RULES,
  registered: { patients: new Map(), serials: new Set() },
};

/** A good row: 20 mL of 500 mcg/mL at 150 mcg/day, filled 10 days ago (alarm 60 days after). */
const GOOD: Readonly<Record<string, Cell>> = {
  'NHS number': '485 777 3457',
  'Given name': 'Ann',
  'Family name': 'Smith',
  'Date of birth': { date: '1961-03-14' },
  Sex: 'F',
  'Hospital number': 'RR8 123456',
  'Pump model': 'SynchroMed II',
  Serial: 'NGP123456H',
  'Implant date': { date: '2022-05-10' },
  Origin: 'spinal',
  'Reservoir (ml)': 20,
  'Alarm volume (ml)': 2,
  'Concentration (mcg/ml)': 500,
  'Daily dose (mcg/day)': 150,
  'Last fill date': { date: '2026-11-21' },
  'Last fill volume (ml)': 20,
  'Next booked refill': { date: '2027-01-05' },
};

function row(changes: Readonly<Record<string, Cell>> = {}): Cell[] {
  const v = { ...GOOD, ...changes };
  return HEADERS.map((h) => v[h] ?? null);
}

describe('header mapping', () => {
  it('matches headers by name and common synonyms, whatever the case and punctuation', () => {
    const m = mapHeaders([
      'NHS_Number',
      'dob',
      'First name',
      'SURNAME',
      'Pump Model',
      'Serial No',
      'Reservoir',
      'Alarm volume',
      'Strength (mcg/mL)',
      'Daily dose',
      'Last refill date',
      'Fill volume (ml)',
      'Next refill',
      'Ward',
      '',
    ]);
    assert.deepEqual(m.missing, []);
    assert.deepEqual(m.unknown, [{ header: 'Ward', letter: 'N' }]);
    assert.equal(m.columns.find((c) => c.key === 'dateOfBirth')?.letter, 'B');
    assert.ok(mappingUsable(m));
  });
  it('reports missing required columns and a column given twice', () => {
    const m = mapHeaders(['NHS No', 'NHS number', 'Given name']);
    assert.deepEqual(
      m.duplicates.map((d) => [d.header, d.key]),
      [['NHS number', 'nhsNumber']],
    );
    assert.ok(m.missing.some((c) => c.key === 'doseMcgPerDay'));
    assert.equal(mappingUsable(m), false);
  });
  it('never matches a header in another unit', () => {
    assert.deepEqual(
      mapHeaders(['Dose (mg/day)']).unknown.map((u) => u.header),
      ['Dose (mg/day)'],
    );
  });
  it('names columns as a spreadsheet does', () => {
    assert.deepEqual([0, 25, 26, 51, 52, 701, 702].map(columnLetter), [
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});

describe('cells', () => {
  const numbers: [Cell, number | null][] = [
    [20, 20],
    ['20', 20],
    ['1,000', 1000],
    ['20 ml', 20],
    ['2.5', 2.5],
    ['2 mg', null],
    ['twenty', null],
    ['1,00', null],
  ];
  for (const [cell, want] of numbers) {
    it(`number ${JSON.stringify(cell)} → ${String(want)}`, () => {
      const r = cellNumber(cell, 'ml');
      assert.deepEqual(r.ok ? r.value : null, want);
    });
  }
  const dates: [Cell, string | null][] = [
    [{ date: '2026-02-28' }, '2026-02-28'],
    ['2026-02-28', '2026-02-28'],
    ['28/02/2026', '2026-02-28'],
    ['1.3.2026', '2026-03-01'],
    ['29/02/2026', null],
    ['02/28/2026', null],
    ['28/02/26', null],
    [46000, null],
  ];
  for (const [cell, want] of dates) {
    it(`date ${JSON.stringify(cell)} → ${String(want)}`, () => {
      const r = cellDate(cell);
      assert.deepEqual(r.ok ? r.value : null, want);
    });
  }
  it('a pump model by name, with or without maker and catalogue number, never by family alone', () => {
    assert.equal(modelFromText('SynchroMed II (8637)')?.id, 'synchromed-ii');
    assert.equal(modelFromText('medtronic synchromed ii')?.id, 'synchromed-ii');
    assert.equal(modelFromText('Prometra II')?.id, 'prometra-ii');
    assert.equal(modelFromText('SynchroMed'), undefined);
    assert.equal(modelFromText('SynchroMed EL'), undefined);
  });
});

describe('row checks', () => {
  it('a good row gives the records the commit writes, with the plan F1–F4', () => {
    const r = checkCaseloadRow(row(), 2, MAPPING, NONE);
    assert.deepEqual(r.problems, []);
    assert.ok(r.record);
    assert.equal(r.record.fill.plan.alarmDate, '2027-01-20');
    assert.equal(r.record.fill.plan.refillDueBy, '2027-01-13');
    assert.equal(r.record.pump.modelId, 'synchromed-ii');
    assert.equal(r.record.patient.nhsNumber, '4857773457');
  });

  const cases: [string, Readonly<Record<string, Cell>>, ProblemCode, string, 'error' | 'warning'][] = [
    ['an empty required cell', { Serial: '' }, 'REQUIRED', 'Serial', 'error'],
    ['text in a number column', { 'Reservoir (ml)': 'twenty' }, 'NOT_A_NUMBER', 'Reservoir (ml)', 'error'],
    ['a date that is not one', { 'Last fill date': '31/11/2026' }, 'NOT_A_DATE', 'Last fill date', 'error'],
    [
      'an NHS number failing its check digit',
      { 'NHS number': '485 777 3456' },
      'PATIENT_DETAILS',
      'NHS number',
      'error',
    ],
    ['an unknown sex', { Sex: 'X' }, 'PATIENT_DETAILS', 'Sex', 'error'],
    ['an unknown pump model', { 'Pump model': 'SynchroMed EL' }, 'PUMP_MODEL', 'Pump model', 'error'],
    [
      'a reservoir the model lacks',
      { 'Reservoir (ml)': 30, 'Last fill volume (ml)': 20 },
      'RESERVOIR',
      'Reservoir (ml)',
      'error',
    ],
    [
      'an alarm volume above the reservoir',
      { 'Alarm volume (ml)': 25 },
      'ALARM_VOLUME',
      'Alarm volume (ml)',
      'error',
    ],
    [
      'a strength in mg/mL',
      { 'Concentration (mcg/ml)': 2 },
      'CONCENTRATION',
      'Concentration (mcg/ml)',
      'error',
    ],
    [
      'a strength not stocked',
      { 'Concentration (mcg/ml)': 1500 },
      'CONCENTRATION',
      'Concentration (mcg/ml)',
      'error',
    ],
    ['a dose in mg/day', { 'Daily dose (mcg/day)': 0.3 }, 'DOSE_LIMIT', 'Daily dose (mcg/day)', 'error'],
    [
      'a dose over the hard limit',
      { 'Daily dose (mcg/day)': 3500, 'Concentration (mcg/ml)': 2000 },
      'DOSE_LIMIT',
      'Daily dose (mcg/day)',
      'error',
    ],
    [
      'a daily volume the pump cannot deliver',
      { 'Daily dose (mcg/day)': 20, 'Concentration (mcg/ml)': 2000 },
      'DELIVERY',
      'Daily dose (mcg/day)',
      'error',
    ],
    [
      'a fill over the reservoir',
      { 'Last fill volume (ml)': 22 },
      'FILL_VOLUME',
      'Last fill volume (ml)',
      'error',
    ],
    [
      'a fill at the alarm volume',
      { 'Last fill volume (ml)': 2 },
      'FILL_VOLUME',
      'Alarm volume (ml)',
      'error',
    ],
    [
      'a fill in the future',
      { 'Last fill date': { date: '2026-12-02' } },
      'DATE_FUTURE',
      'Last fill date',
      'error',
    ],
    [
      'an implant before birth',
      { 'Implant date': { date: '1960-01-01' } },
      'DATE_ORDER',
      'Implant date',
      'error',
    ],
    [
      'a fill before the implant',
      { 'Implant date': { date: '2026-11-25' } },
      'DATE_ORDER',
      'Last fill date',
      'error',
    ],
    [
      'a fill past the stability limit',
      { 'Last fill date': { date: '2026-05-01' }, 'Daily dose (mcg/day)': 50 },
      'FILL_EXPIRED',
      'Last fill date',
      'error',
    ],
    [
      'a booked refill in the past',
      { 'Next booked refill': { date: '2026-11-30' } },
      'NEXT_REFILL_PAST',
      'Next booked refill',
      'error',
    ],
    [
      'a dose above the usual range',
      { 'Daily dose (mcg/day)': 2100, 'Concentration (mcg/ml)': 2000 },
      'DOSE_USUAL_RANGE',
      'Daily dose (mcg/day)',
      'warning',
    ],
    [
      'an alarm date already passed',
      { 'Last fill date': { date: '2026-09-01' } },
      'ALARM_PASSED',
      'Last fill date',
      'warning',
    ],
    [
      'a refill booked after the due date',
      { 'Next booked refill': { date: '2027-01-14' } },
      'BOOKED_AFTER_DUE',
      'Next booked refill',
      'warning',
    ],
    ['no origin', { Origin: '' }, 'ORIGIN_MISSING', 'Origin', 'warning'],
    ['no implant date', { 'Implant date': null }, 'IMPLANT_DATE_MISSING', 'Implant date', 'warning'],
  ];
  for (const [what, changes, code, column, severity] of cases) {
    it(`${what}: ${code} in ${column}`, () => {
      const r = checkCaseloadRow(row(changes), 7, MAPPING, NONE);
      const found = r.problems.find((p) => p.code === code);
      assert.ok(found, JSON.stringify(r.problems));
      assert.deepEqual([found.rowNumber, found.column, found.severity], [7, column, severity]);
      assert.equal(r.record === null, severity === 'error');
    });
  }

  it('with no implant date, the pump counts as old as it could be: due for replacement now', () => {
    const r = checkCaseloadRow(row({ 'Implant date': null }), 2, MAPPING, NONE);
    assert.equal(r.record?.pump.implantedOn, '2019-12-01');
    assert.equal(r.record.pump.implantDateGiven, false);
  });

  it('already registered: matched with the same date of birth and no pump, refused otherwise', () => {
    const at = (dob: string, pumpInService: boolean): CaseloadCheckContext => ({
      ...NONE,
      registered: {
        patients: new Map([['4857773457', { id: 'p1', dateOfBirth: dob, pumpInService }]]),
        serials: new Set(),
      },
    });
    const matched = checkCaseloadRow(row(), 2, MAPPING, at('1961-03-14', false));
    assert.equal(matched.record?.existingPatientId, 'p1');
    assert.deepEqual(
      matched.problems.map((p) => p.code),
      ['MATCHED_EXISTING'],
    );
    assert.deepEqual(
      checkCaseloadRow(row(), 2, MAPPING, at('1961-03-15', false)).problems.map((p) => p.code),
      ['ALREADY_REGISTERED'],
    );
    assert.deepEqual(
      checkCaseloadRow(row(), 2, MAPPING, at('1961-03-14', true)).problems.map((p) => p.code),
      ['ALREADY_REGISTERED'],
    );
    const serial = checkCaseloadRow(row(), 2, MAPPING, {
      ...NONE,
      registered: { patients: new Map(), serials: new Set(['synchromed-ii NGP123456H']) },
    });
    assert.deepEqual(
      serial.problems.map((p) => [p.code, p.column]),
      [['ALREADY_REGISTERED', 'Serial']],
    );
  });

  it('the same patient or pump twice in the file: the later row is refused, naming the first', () => {
    const checked = checkCaseload(
      [
        { rowNumber: 2, cells: row() },
        { rowNumber: 3, cells: row({ Serial: 'OTHER1' }) },
        { rowNumber: 4, cells: row({ 'NHS number': '943 476 5919' }) },
      ],
      MAPPING,
      NONE,
    );
    assert.deepEqual(
      checked.problems.map((p) => [p.rowNumber, p.column, p.code, p.message]),
      [
        [3, 'NHS number', 'DUPLICATE_IN_FILE', 'The same NHS number as row 2: one row per patient'],
        [4, 'Serial', 'DUPLICATE_IN_FILE', 'The same pump model and serial as row 2'],
      ],
    );
    assert.equal(checked.records.length, 1);
    assert.equal(checked.errorCount, 2);
  });

  it('every problem kind has a test above', () => {
    const tested = new Set([
      ...cases.map((c) => c[2]),
      'ALREADY_REGISTERED',
      'MATCHED_EXISTING',
      'DUPLICATE_IN_FILE',
    ]);
    assert.deepEqual(
      Object.keys(PROBLEM_CODES).filter((c) => !tested.has(c as ProblemCode)),
      [],
    );
  });
});
