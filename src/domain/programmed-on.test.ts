import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { validateProgrammedOn } from './programmed-on.ts';

const d = (s: string) => s as PlainDate;
const ctx = { today: d('2026-12-06'), lastSignedRefillOn: d('2026-11-24'), proposedOn: d('2026-12-01') };

describe('the date the pump was reprogrammed', () => {
  const cases: [string, unknown, string | null, RegExp | null][] = [
    ['absent: today', undefined, '2026-12-06', null],
    ['empty: today', '  ', '2026-12-06', null],
    ['the day proposed', '2026-12-01', '2026-12-01', null],
    ['today', '2026-12-06', '2026-12-06', null],
    ['tomorrow is refused', '2026-12-07', null, /today or in the past/],
    ['before the last signed refill is refused', '2026-11-23', null, /last signed refill, 24 November 2026/],
    ['before the proposal is refused', '2026-11-30', null, /the change was proposed, 1 December 2026/],
    ['not a date', '2026-02-30', null, /real date/],
    ['not text', 20261201, null, /real date/],
  ];
  for (const [name, raw, value, message] of cases) {
    it(name, () => {
      const r = validateProgrammedOn(raw, ctx);
      if (value !== null) {
        assert.deepEqual(r, { ok: true, value });
      } else {
        assert.ok(!r.ok, 'refused');
        assert.equal(r.errors[0]?.field, 'programmedOn');
        assert.match(r.errors[0].message, message ?? /./);
      }
    });
  }

  it('with no signed refill only the proposal date bounds it', () => {
    assert.deepEqual(validateProgrammedOn('2026-12-01', { ...ctx, lastSignedRefillOn: null }), {
      ok: true,
      value: '2026-12-01',
    });
  });
});
