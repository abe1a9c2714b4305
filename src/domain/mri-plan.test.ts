import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import {
  isMriCheckOverdue,
  mriCheckDueAt,
  validateMriCheck,
  validateMriPlan,
  validateMriScan,
} from './mri-input.ts';
import { mriPlanFor, mriRulesOf } from './mri-plan.ts';
import { findPumpModel } from './pump-device.ts';

const TZ = 'Europe/London';
const d = (s: string) => s as PlainDate;

describe('MRI plan by pump model (H-130, H-131, H-134)', () => {
  const table = [
    {
      model: 'synchromed-ii',
      kind: 'interrogate-after',
      before: ['cover', 'conditions', 'check-booked', 'patient-told'],
      refill: false,
      rotor: true,
    },
    {
      model: 'prometra-ii',
      kind: 'empty-before',
      before: ['empty', 'conditions', 'cover', 'refill-booked'],
      refill: true,
      rotor: false,
    },
    {
      model: 'no-such-model',
      kind: 'contact-manufacturer',
      before: ['manufacturer', 'cover', 'check-booked'],
      refill: false,
      rotor: false,
    },
  ] as const;
  for (const row of table) {
    it(`${row.model}: ${row.kind}`, () => {
      const plan = mriPlanFor(findPumpModel(row.model));
      assert.equal(plan.kind, row.kind);
      assert.deepEqual(
        plan.before.map((s) => s.id),
        row.before,
      );
      assert.equal(plan.refillAfter, row.refill);
      assert.equal(plan.rotorCheck, row.rotor);
    });
  }
  it('an unknown model gets no invented field strength limit', () => {
    const plan = mriRulesOf('contact-manufacturer');
    assert.equal(plan.maxTesla, null);
    assert.match(plan.before[0]?.text ?? '', /manufacturer/);
  });
  it('Prometra is emptied before the scan and refilled after it', () => {
    const plan = mriRulesOf('empty-before');
    assert.match(plan.before[0]?.text ?? '', /emptied before the scan/);
    assert.equal(plan.after[0]?.id, 'refill');
  });
});

describe('validateMriPlan', () => {
  const ctx = {
    rules: mriRulesOf('empty-before'),
    implantedOn: d('2024-01-10'),
    today: d('2026-12-07'),
  };
  const all = ['empty', 'conditions', 'cover', 'refill-booked'];
  const base = { plannedOn: '2026-12-10', scanner: 'MRI 2', fieldStrengthTesla: '1.5', confirmedSteps: all };
  const fields = (raw: unknown, c = ctx) => {
    const r = validateMriPlan(raw, c);
    return r.ok ? [] : r.errors.map((e) => e.field);
  };
  const cases: readonly [string, Record<string, unknown>, string[]][] = [
    ['complete', {}, []],
    ['no field strength given', { fieldStrengthTesla: '' }, []],
    ['3 T for Prometra', { fieldStrengthTesla: '3' }, ['fieldStrengthTesla']],
    ['a step not confirmed', { confirmedSteps: all.slice(1) }, ['confirmedSteps']],
    ['a step of another model', { confirmedSteps: [...all, 'rotor'] }, ['confirmedSteps']],
    ['before the implant', { plannedOn: '2023-12-31' }, ['plannedOn']],
    ['more than a year ahead', { plannedOn: '2027-12-08' }, ['plannedOn']],
    ['a year ahead', { plannedOn: '2027-12-07' }, []],
    ['not a date', { plannedOn: '2026-02-30' }, ['plannedOn']],
    ['units typed in', { fieldStrengthTesla: '1.5 T' }, ['fieldStrengthTesla']],
  ];
  for (const [name, change, expected] of cases) {
    it(name, () => {
      assert.deepEqual(fields({ ...base, ...change }), expected);
    });
  }
  it('SynchroMed: up to 3 T, not above', () => {
    const sm = { ...ctx, rules: mriRulesOf('interrogate-after') };
    const steps = ['cover', 'conditions', 'check-booked', 'patient-told'];
    assert.deepEqual(fields({ ...base, confirmedSteps: steps, fieldStrengthTesla: 3 }, sm), []);
    assert.deepEqual(fields({ ...base, confirmedSteps: steps, fieldStrengthTesla: 7 }, sm), [
      'fieldStrengthTesla',
    ]);
  });
});

describe('when the post-scan check is due (MRI_CHECK_DUE_HOURS; H-135)', () => {
  const table: readonly [string, string, number, string][] = [
    // [why, scannedAt, hours, dueAt]
    ['winter (GMT): end of the scan day', '2026-01-15T10:00:00Z', 0, '2026-01-16T00:00:00.000Z'],
    ['summer (BST): midnight local is 23:00 UTC', '2026-07-15T10:00:00Z', 0, '2026-07-15T23:00:00.000Z'],
    ['BST: 23:30 UTC is already the next local day', '2026-07-15T23:30:00Z', 0, '2026-07-16T23:00:00.000Z'],
    ['clocks go forward that day', '2026-03-29T09:00:00Z', 0, '2026-03-29T23:00:00.000Z'],
    ['clocks go back that day', '2026-10-25T09:00:00Z', 0, '2026-10-26T00:00:00.000Z'],
    ['hours carry into the next day', '2026-01-15T20:00:00Z', 6, '2026-01-17T00:00:00.000Z'],
    ['hours within the same day', '2026-01-15T08:00:00Z', 6, '2026-01-16T00:00:00.000Z'],
  ];
  for (const [why, scannedAt, hours, dueAt] of table) {
    it(why, () => {
      assert.equal(mriCheckDueAt(scannedAt, hours, TZ), dueAt);
    });
  }
  it('overdue from the due instant on', () => {
    assert.equal(isMriCheckOverdue('2026-01-16T00:00:00.000Z', '2026-01-15T23:59:59.000Z'), false);
    assert.equal(isMriCheckOverdue('2026-01-16T00:00:00.000Z', '2026-01-16T00:00:00.000Z'), true);
  });
});

describe('validateMriScan', () => {
  const ctx = { plannedOn: d('2026-07-15'), now: '2026-07-16T12:00:00.000Z', timeZone: TZ };
  const r = (scannedAt: string) => {
    const v = validateMriScan({ scannedAt }, ctx);
    return v.ok ? v.value.scannedAt : v.errors.map((e) => e.field).join();
  };
  it('on the planned day', () => {
    assert.equal(r('2026-07-15T09:00:00+01:00'), '2026-07-15T08:00:00.000Z');
  });
  it('in the future', () => {
    assert.equal(r('2026-07-16T12:00:01Z'), 'scannedAt');
  });
  // 23:30 UTC on the 14th is 00:30 BST on the 15th: the planned day, in UK time.
  it('UK date, not UTC date', () => {
    assert.equal(r('2026-07-14T23:30:00Z'), '2026-07-14T23:30:00.000Z');
  });
  it('before the planned day', () => {
    assert.equal(r('2026-07-14T22:30:00Z'), 'scannedAt');
  });
  it('a bare local time is refused', () => {
    assert.equal(r('2026-07-15T09:00'), 'scannedAt');
  });
});

describe('validateMriCheck', () => {
  const sm = {
    rules: mriRulesOf('interrogate-after'),
    scannedAt: '2026-07-15T08:00:00.000Z',
    now: '2026-07-15T12:00:00.000Z',
    reservoirMl: 20,
    timeZone: TZ,
  };
  const ok = {
    checkedAt: '2026-07-15T11:00:00Z',
    pumpRunning: 'yes',
    rotorCheck: 'passed',
    logsReviewed: 'yes',
    reservoirMl: '12.5',
  };
  const fields = (change: Record<string, unknown>, c = sm) => {
    const v = validateMriCheck({ ...ok, ...change }, c);
    return v.ok ? [] : v.errors.map((e) => e.field);
  };
  const cases: readonly [string, Record<string, unknown>, string[]][] = [
    ['complete', {}, []],
    ['before the scan', { checkedAt: '2026-07-15T07:59:00Z' }, ['checkedAt']],
    ['in the future', { checkedAt: '2026-07-15T12:01:00Z' }, ['checkedAt']],
    ['no rotor check', { rotorCheck: undefined }, ['rotorCheck']],
    ['logs not read', { logsReviewed: 'no' }, ['logsReviewed']],
    ['stalled with no findings', { rotorCheck: 'stalled' }, ['findings']],
    ['stalled with findings', { rotorCheck: 'stalled', findings: 'Restarted by programmer' }, []],
    ['not running, no findings', { pumpRunning: 'no' }, ['findings']],
    ['more than the reservoir', { reservoirMl: 21 }, ['reservoirMl']],
    ['running not answered', { pumpRunning: undefined }, ['pumpRunning']],
  ];
  for (const [name, change, expected] of cases) {
    it(name, () => {
      assert.deepEqual(fields(change), expected);
    });
  }
  it('Prometra needs no rotor check, and stores none', () => {
    const p = { ...sm, rules: mriRulesOf('empty-before') };
    const v = validateMriCheck({ ...ok, rotorCheck: undefined, logsReviewed: undefined }, p);
    assert.ok(v.ok);
    assert.equal(v.value.rotorCheck, null);
  });
});
