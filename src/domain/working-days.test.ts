import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { isWorkingDay, workingDaysAfter } from './working-days.ts';

const d = (s: string) => s as PlainDate;
// England and Wales bank holidays around Easter and Christmas 2026 (gov.uk).
const closed = new Set(['2026-04-03', '2026-04-06', '2026-12-25', '2026-12-28', '2027-01-01']);

describe('working days', () => {
  const cases: [string, string, string, number][] = [
    ['same day', '2026-11-23', '2026-11-23', 0],
    ['Monday to Friday of one week', '2026-11-23', '2026-11-27', 4],
    ['Friday to Monday skips the weekend', '2026-11-27', '2026-11-30', 1],
    ['Thursday before Easter to the Tuesday after', '2026-04-02', '2026-04-07', 1],
    ['Christmas Eve to New Year', '2026-12-24', '2027-01-04', 4],
    ['to before from', '2026-11-27', '2026-11-23', 0],
  ];
  for (const [name, from, to, expected] of cases) {
    it(`${name}: ${from} → ${to} is ${expected}`, () => {
      assert.equal(workingDaysAfter(d(from), d(to), closed), expected);
    });
  }

  it('knows weekends and closed days', () => {
    assert.equal(isWorkingDay(d('2026-11-28'), closed), false);
    assert.equal(isWorkingDay(d('2026-11-29'), closed), false);
    assert.equal(isWorkingDay(d('2026-04-03'), closed), false);
    assert.equal(isWorkingDay(d('2026-04-07'), closed), true);
  });
});
