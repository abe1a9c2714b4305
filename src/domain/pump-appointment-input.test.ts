import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { earliestReviewDay, validateAppointmentInput, validateReviewHeld } from './pump-appointment-input.ts';

const d = (s: string) => s as PlainDate;
/** Today 24 November 2026; implanted 1 June 2026; reviews may be recorded 30 days back. */
const limits = { today: d('2026-11-24'), implantedOn: d('2026-06-01'), daysBack: 30 };

describe('recording a review held on the day it happened', () => {
  const accepted: [string, string][] = [
    ['2026-11-24', 'today'],
    ['2026-11-23', 'yesterday'],
    ['2026-10-25', '30 days back, the limit'],
  ];
  for (const [heldOn, name] of accepted) {
    it(`accepts ${heldOn} (${name})`, () => {
      const r = validateReviewHeld({ heldOn, note: null }, limits);
      assert.ok(r.ok);
      assert.equal(r.value.heldOn, heldOn);
    });
  }

  const refused: [string, string, RegExp][] = [
    ['2026-11-25', 'tomorrow', /today or in the past/],
    ['2027-01-01', 'next year', /today or in the past/],
    ['2026-10-24', '31 days back', /within the last 30 days, on or after 25 October 2026/],
    ['2026-01-01', 'before the implant', /on or after the implant, 1 June 2026/],
  ];
  for (const [heldOn, name, message] of refused) {
    it(`refuses ${heldOn} (${name}), naming heldOn`, () => {
      const r = validateReviewHeld({ heldOn }, limits);
      assert.ok(!r.ok);
      const [first] = r.errors;
      assert.ok(first);
      assert.equal(first.field, 'heldOn');
      assert.match(first.message, message);
    });
  }

  it('refuses a missing or impossible date, naming heldOn', () => {
    for (const heldOn of [undefined, '', '2026-02-30', 'yesterday']) {
      const r = validateReviewHeld({ heldOn }, limits);
      assert.ok(!r.ok);
      assert.equal(r.errors[0]?.field, 'heldOn');
    }
  });

  it('the earliest day is the later of the limit and the implant', () => {
    assert.equal(earliestReviewDay(limits), '2026-10-25');
    assert.equal(earliestReviewDay({ ...limits, implantedOn: d('2026-11-10') }), '2026-11-10');
    assert.equal(earliestReviewDay({ ...limits, daysBack: 0 }), '2026-11-24');
  });
});

describe('booking an appointment', () => {
  it('a missed review can be booked for today', () => {
    const r = validateAppointmentInput({ kind: 'review', onDate: '2026-11-24' }, limits.today);
    assert.ok(r.ok);
  });

  it('not for a day already past', () => {
    const r = validateAppointmentInput({ kind: 'review', onDate: '2026-11-23' }, limits.today);
    assert.equal(r.ok, false);
  });
});
