import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from '../calendar-date.ts';
import { defaultFigureRange, parseFigureRange } from './figure-range-input.ts';

const TODAY = '2026-11-24' as PlainDate;

describe('the period of the figures', () => {
  it('defaults to the last 12 months by month: the first of the month 11 months back to today', () => {
    assert.deepEqual(defaultFigureRange(TODAY), { from: '2025-12-01', to: TODAY });
    assert.deepEqual(defaultFigureRange('2026-01-31' as PlainDate), { from: '2025-02-01', to: '2026-01-31' });
    assert.deepEqual(parseFigureRange({}, TODAY), { ok: true, value: { from: '2025-12-01', to: TODAY } });
    assert.deepEqual(parseFigureRange({ from: ' ', to: '' }, TODAY), {
      ok: true,
      value: { from: '2025-12-01', to: TODAY },
    });
  });

  for (const [query, value] of [
    [
      { from: '2026-01-01', to: '2026-03-31' },
      { from: '2026-01-01', to: '2026-03-31' },
    ],
    [
      { from: '2026-03-01', to: '2026-03-01' },
      { from: '2026-03-01', to: '2026-03-01' },
    ],
    [
      { from: '2016-11-24', to: '2026-11-24' },
      { from: '2016-11-24', to: '2026-11-24' },
    ],
    [{ to: '2026-06-30' }, { from: '2025-12-01', to: '2026-06-30' }],
  ] as const) {
    it(`reads ${JSON.stringify(query)}`, () => {
      assert.deepEqual(parseFigureRange(query, TODAY), { ok: true, value });
    });
  }

  for (const [query, field, message] of [
    [{ from: '2026-02-30' }, 'from', /Start date must be a real date/],
    [{ to: '24/11/2026' }, 'to', /End date must be a real date/],
    [{ from: ['2026-01-01', '2026-02-01'] }, 'from', /Enter one start date/],
    [{ from: '2026-05-01', to: '2026-04-30' }, 'to', /same as or after the start date/],
    [{ from: '2016-11-23', to: '2026-11-24' }, 'from', /10 years or shorter/],
  ] as const) {
    it(`refuses ${JSON.stringify(query)}, naming ${field}`, () => {
      const r = parseFigureRange(query, TODAY);
      assert.ok(!r.ok);
      const [first] = r.errors;
      assert.equal(first?.field, field);
      assert.match(first.message, message);
    });
  }
});
