import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from '../domain/calendar-date.ts';
import { countsByMonthFigure } from '../domain/figures/figure-builders.ts';
import type { Figure } from '../domain/figures/figure.ts';
import { figureChart, monthLabel } from './figure-charts.ts';

const range = { from: '2026-01-01' as PlainDate, to: '2026-03-31' as PlainDate };
const stacked = countsByMonthFigure({
  key: 'example',
  group: 'referrals',
  title: 'Example',
  definition: { numerator: 'Things', denominator: null },
  categories: [
    { key: 'a', label: 'Apples' },
    { key: 'b', label: 'Pears' },
  ],
  noun: 'things',
  range,
  counts: [
    { month: '2026-01', category: 'a', n: 3 },
    { month: '2026-02', category: 'b', n: 2 },
  ],
});

/** What the CSP and screen readers need of every chart (as measure-charts.test.ts checks). */
function checkSvg(svg: string, label: string): void {
  assert.doesNotMatch(svg, /<style|\sstyle=/i, 'no styles (CSP style-src self)');
  assert.doesNotMatch(svg, /<script|\son\w+=/i, 'no script');
  assert.match(svg, /role="img"/);
  assert.ok(svg.includes(`<title>${label}</title>`), 'titled by its label');
}

describe('figure charts', () => {
  it('draws a stacked bar chart per month with a key naming each series and its colour', () => {
    const chart = figureChart(stacked);
    assert.ok(chart);
    checkSvg(chart.svg, chart.label);
    assert.match(
      chart.label,
      /^Bar chart: Example, number of things by month \(Apples, Pears\)\. The table gives the same numbers\.$/,
    );
    assert.deepEqual(
      chart.key.map((k) => k.label),
      ['Apples', 'Pears'],
    );
    assert.ok(chart.svg.includes('Jan 2026') && chart.svg.includes('Mar 2026'));
  });

  it('draws lines with a gap for a month with no value, naming each line at its end', () => {
    const figure: Figure = {
      ...stacked,
      chart: {
        kind: 'line',
        xLabel: 'Month',
        yLabel: 'days',
        series: [
          {
            label: 'Median',
            points: [
              { x: '2026-01', y: 4 },
              { x: '2026-02', y: null },
              { x: '2026-03', y: 6 },
            ],
          },
        ],
      },
    };
    const chart = figureChart(figure);
    assert.ok(chart);
    checkSvg(chart.svg, chart.label);
    assert.match(chart.label, /^Line chart/);
    assert.ok(chart.svg.includes('>Median<'));
    assert.deepEqual(chart.key, []);
  });

  it('draws nothing for a figure without a chart, and labels months in words', () => {
    assert.equal(figureChart({ ...stacked, chart: null }), null);
    assert.equal(monthLabel('2026-11'), 'Nov 2026');
    assert.equal(monthLabel('Whole period'), 'Whole period');
  });
});
