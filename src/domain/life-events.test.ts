import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, type PlainDate } from './calendar-date.ts';
import {
  plannedActions,
  refillDueBeforeDischarge,
  refillFallsAround,
  type ActionContext,
  type ActionPump,
} from './life-event-actions.ts';
import {
  renameEndedOn,
  validateDeathInput,
  validatePregnancyInput,
  validateSurgeryInput,
  validateTransferInput,
} from './life-events.ts';
import { pumpSummaryFacts, surgeryLetter, transferLetter, type SummaryPump } from './pump-summary-letter.ts';

const d = (s: string) => s as PlainDate;
const TODAY = d('2026-11-20');
const pump = (refillDueBy: string | null, alarmOn: string | null): ActionPump => ({
  serialNumber: 'NGP1H',
  refillDueBy: refillDueBy === null ? null : d(refillDueBy),
  alarmOn: alarmOn === null ? null : d(alarmOn),
  catheterTipLevel: 'T10',
});

describe('a refill falling around a delivery (window 14 days either side)', () => {
  // [due by, alarm, delivery, around?]
  const table: readonly [string | null, string | null, string, boolean][] = [
    ['2027-01-12', '2027-01-19', '2027-01-20', true],
    ['2027-01-06', '2027-01-13', '2027-01-20', true], // due on the window's first day
    ['2027-01-05', '2027-01-05', '2027-01-20', false], // the day before the window
    ['2027-02-03', '2027-02-10', '2027-01-20', true], // due on the window's last day
    ['2027-02-04', '2027-02-11', '2027-01-20', false],
    ['2026-12-01', '2027-01-25', '2027-01-20', true], // the alarm counts too
    [null, null, '2027-01-20', false], // no plan yet: nothing to place
  ];
  for (const [due, alarm, edd, around] of table) {
    it(`due ${String(due)}, alarm ${String(alarm)}, delivery ${edd}: ${String(around)}`, () => {
      assert.equal(refillFallsAround(pump(due, alarm), d(edd), 14), around);
    });
  }

  it('is the same as "within the window" for any dates', () => {
    fc.assert(
      fc.property(fc.integer({ min: -60, max: 60 }), fc.integer({ min: 0, max: 30 }), (offset, window) => {
        const edd = d('2027-03-01');
        const due = addDays(edd, offset);
        return refillFallsAround(pump(due, null), edd, window) === Math.abs(offset) <= window;
      }),
    );
  });
});

describe('a refill due before discharge', () => {
  // [due by, alarm, surgery, stay, needs a refill before admission?]
  const table: readonly [string | null, string | null, string, number, boolean][] = [
    ['2027-01-12', '2027-01-19', '2027-01-05', 10, true], // due during the stay
    ['2027-01-12', '2027-01-19', '2027-01-05', 7, true], // due on the last day
    ['2027-01-12', '2027-01-19', '2027-01-05', 6, false],
    ['2026-12-20', '2026-12-27', '2027-01-05', 0, true], // already due before admission
    ['2027-03-01', '2027-03-08', '2027-01-05', 10, false],
    [null, null, '2027-01-05', 10, false],
  ];
  for (const [due, alarm, on, stay, needed] of table) {
    it(`due ${String(due)}, surgery ${on} for ${String(stay)} days: ${String(needed)}`, () => {
      assert.equal(refillDueBeforeDischarge(pump(due, alarm), d(on), stay), needed);
    });
  }
});

describe('life event inputs', () => {
  it('a pregnancy: delivery from today to 42 weeks ahead, and the obstetric team', () => {
    const ok = (edd: string) =>
      validatePregnancyInput({ expectedDeliveryOn: edd, obstetricTeam: 'LGI' }, TODAY).ok;
    assert.equal(ok('2026-11-20'), true);
    assert.equal(ok('2026-11-19'), false);
    assert.equal(ok(addDays(TODAY, 300)), true);
    assert.equal(ok(addDays(TODAY, 301)), false);
    const missing = validatePregnancyInput({ expectedDeliveryOn: '2027-01-01', obstetricTeam: ' ' }, TODAY);
    assert.deepEqual(missing.ok ? [] : missing.errors.map((e) => e.field), ['obstetricTeam']);
  });

  it('surgery elsewhere: planned (today or later) with a whole number of days in hospital', () => {
    const base = { surgeryOn: '2026-12-01', hospital: 'H', procedure: 'P', teamContact: 'T' };
    for (const [stay, ok] of [
      [0, true],
      ['3', true],
      [365, true],
      [366, false],
      [1.5, false],
      ['two', false],
      [-1, false],
    ] as const) {
      assert.equal(validateSurgeryInput({ ...base, expectedStayDays: stay }, TODAY).ok, ok, String(stay));
    }
    assert.equal(
      validateSurgeryInput({ ...base, surgeryOn: '2026-11-19', expectedStayDays: 1 }, TODAY).ok,
      false,
    );
  });

  it('a death: today or before, and not before any implanted pump', () => {
    const input = (diedOn: string) => ({ diedOn, source: 'GP letter' });
    assert.equal(validateDeathInput(input('2026-11-20'), TODAY, d('2026-09-01')).ok, true);
    assert.equal(validateDeathInput(input('2026-11-21'), TODAY, null).ok, false);
    const early = validateDeathInput(input('2026-08-31'), TODAY, d('2026-09-01'));
    assert.deepEqual(early.ok ? [] : early.errors.map((e) => e.field), ['diedOn']);
  });

  it('a transfer: any date from the implant on, later ones included', () => {
    const input = (transferOn: string) => ({ receivingService: 'S', contact: 'C', transferOn });
    assert.equal(validateTransferInput(input('2027-02-01'), d('2026-09-01')).ok, true);
    assert.equal(validateTransferInput(input('2026-08-01'), d('2026-09-01')).ok, false);
  });

  it('an end request’s date error is named by the life event’s own date field', () => {
    assert.deepEqual(
      renameEndedOn(
        [
          { field: 'endedOn', message: 'm' },
          { field: 'reason', message: 'r' },
        ],
        'diedOn',
      ),
      [
        { field: 'diedOn', message: 'm' },
        { field: 'reason', message: 'r' },
      ],
    );
  });
});

describe('the checklists', () => {
  const ctx: ActionContext = {
    today: TODAY,
    pumps: [pump('2027-01-12', '2027-01-19')],
    deliveryRefillWindowDays: 14,
  };
  const codes = (details: Parameters<typeof plannedActions>[0], c = ctx) =>
    plannedActions(details, c).map((a) => a.code);

  it('each kind has its actions, and says where the sources are silent (GAP)', () => {
    const pregnancy = plannedActions(
      {
        kind: 'pregnancy',
        input: { expectedDeliveryOn: d('2027-06-01'), obstetricTeam: 'LGI', notes: null },
      },
      ctx,
    );
    assert.deepEqual(
      pregnancy.map((a) => a.code),
      ['dose-review', 'refill-plan', 'alert-obstetric'],
    );
    assert.match(pregnancy[0]?.detail ?? '', /GAP/);
    assert.match(pregnancy[2]?.detail ?? '', /GAP/);
    // A delivery far from any refill: nothing to book early, and no date.
    assert.equal(pregnancy[1]?.dueOn, null);
    assert.deepEqual(codes({ kind: 'death', input: { diedOn: TODAY, source: 'GP', notes: null } }), [
      'funeral-pump',
      'notify-gp',
      'notify-teams',
    ]);
    const transfer = (on: string) => ({
      kind: 'transfer' as const,
      input: { receivingService: 'S', contact: 'C', transferOn: d(on), notes: null },
    });
    assert.deepEqual(codes(transfer('2026-11-20')), ['letter', 'receiving-accepted']);
    assert.deepEqual(codes(transfer('2026-11-21')), ['letter', 'receiving-accepted', 'ask-end']);
  });

  it('surgery tomorrow: the letter and the refill are due today, not yesterday', () => {
    const actions = plannedActions(
      {
        kind: 'surgery-elsewhere',
        input: {
          surgeryOn: TODAY,
          hospital: 'H',
          procedure: 'P',
          teamContact: 'T',
          expectedStayDays: 60,
          notes: null,
        },
      },
      ctx,
    );
    assert.deepEqual(
      actions.map((a) => [a.code, a.dueOn]),
      [
        ['letter', TODAY],
        ['refill-before-admission', TODAY],
        ['post-op-check', '2027-01-19'],
      ],
    );
  });
});

describe('the pump summary in letters', () => {
  const summary: SummaryPump = {
    modelName: 'SynchroMed II (8637)',
    serialNumber: 'NGP1H',
    reservoirMl: 20,
    implantedOn: d('2026-09-01'),
    catheterModel: null,
    catheterTipLevel: 'T10',
    drug: 'Baclofen',
    concentrationMcgPerMl: 500,
    programme: 'Simple: 150 mcg/day',
    doseMcgPerDay: 150,
    lastRefillOn: null,
    lastRefillMl: null,
    refillDueBy: d('2027-01-12'),
    alarmOn: d('2027-01-19'),
    alarmMl: 2,
    recentChanges: [{ on: d('2026-11-01'), fromMcgPerDay: 100, toMcgPerDay: 150, reason: 'Spasms at night' }],
    mriAdvice: 'Interrogate after every scan.',
    ending: null,
  };

  it('says "Not recorded" for a missing fact, never a guess', () => {
    const facts = new Map(pumpSummaryFacts(summary).map((f) => [f.label, f.value]));
    assert.equal(facts.get('Catheter'), 'Not recorded');
    assert.equal(facts.get('Last refill'), 'Not recorded');
    assert.equal(facts.get('Daily dose'), '150 mcg/day');
    assert.equal(
      facts.get('Recent dose changes'),
      '1 November 2026: from 100 to 150 mcg/day (Spasms at night)',
    );
  });

  it('letters leave out the source keys and name the recipients', () => {
    const input = {
      service: { name: 'ITB service', addressLines: ['LGI'], phone: '0113', email: 'itb@nhs.net' },
      date: TODAY,
      patient: { name: 'Ann Smith', nhsNumber: '4857773457', dateOfBirth: d('1961-03-14'), allergies: null },
      pumps: [summary],
      alerts: [],
      signedBy: 'Dr C',
    };
    const transfer = transferLetter(input, {
      receivingService: 'Sheffield',
      contact: 'Sister S',
      transferOn: TODAY,
      notes: null,
    });
    const surgery = surgeryLetter(input, {
      surgeryOn: TODAY,
      hospital: 'St E',
      procedure: 'a hip replacement',
      teamContact: 'Ms O',
      expectedStayDays: 3,
      notes: null,
    });
    assert.deepEqual(transfer.to, ['Sheffield', 'Sister S']);
    assert.deepEqual(surgery.to, ['Ms O', 'St E']);
    for (const letter of [transfer, surgery]) {
      const text = JSON.stringify(letter.blocks);
      assert.ok(!/\[[A-Z]/.test(text), 'no source keys');
      assert.match(text, /Do not stop the pump/);
    }
  });
});
