import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import type { MasEntry } from '../domain/outcome-measures.ts';
import { gasChart, masCharts, painChart, pennChart, type ChartSet } from './measure-charts.ts';
import type { RenderedChart } from './svg-chart.ts';

const mas = (entries: [MasEntry['muscleGroup'], MasEntry['side'], MasEntry['grade']][]): MasEntry[] =>
  entries.map(([muscleGroup, side, grade]) => ({ muscleGroup, side, grade }));

const SETS: ChartSet[] = [
  {
    recordedOn: '2026-11-10',
    painNrs: 7,
    pennFrequency: 3,
    baselineTScore: 36.31,
    achievedTScore: null,
    mas: mas([
      ['hip-adductors', 'left', '3'],
      ['hip-adductors', 'right', '1+'],
      ['elbow-flexors', 'left', '2'],
    ]),
  },
  {
    recordedOn: '2026-11-24',
    painNrs: 4,
    pennFrequency: 1,
    baselineTScore: 36.31,
    achievedTScore: 63.69,
    mas: mas([['hip-adductors', 'left', '1']]),
  },
];

/** The few DOM calls the checks make (typed by hand: linkedom's types need the DOM's). */
interface SvgElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): SvgElement | null;
  querySelectorAll(selector: string): ArrayLike<SvgElement> & Iterable<SvgElement>;
  readonly textContent: string | null;
}

function parseSvg(markup: string): SvgElement | null {
  const window: unknown = parseHTML(`<!doctype html><html><body>${markup}</body></html>`);
  return (window as { readonly document: SvgElement }).document.querySelector('svg');
}

/** Checks what the CSP and screen readers need of every chart. */
function checkChart(chart: RenderedChart | null): SvgElement {
  assert.ok(chart, 'expected a chart');
  assert.doesNotMatch(chart.svg, /<style/i, 'no <style> element (CSP style-src self)');
  assert.doesNotMatch(chart.svg, /\sstyle=/i, 'no style attributes (CSP style-src self)');
  assert.doesNotMatch(chart.svg, /<script|\son\w+=/i, 'no script');
  const svg = parseSvg(chart.svg);
  assert.ok(svg, 'an <svg> element');
  assert.equal(svg.getAttribute('role'), 'img');
  assert.equal(svg.getAttribute('class'), 'app-chart');
  assert.equal(svg.getAttribute('aria-label'), chart.label);
  assert.equal(svg.querySelector('title')?.textContent, chart.label);
  assert.equal(svg.querySelectorAll('[aria-label]').length, 0, 'only the image itself is named (ARIA)');
  return svg;
}

const texts = (svg: SvgElement): string[] =>
  [...svg.querySelectorAll('text')].map((t) => t.textContent ?? '');

describe('measure charts', () => {
  it('draws pain over time on a 0 to 10 axis with the dates measured as ticks', () => {
    const svg = checkChart(painChart(SETS));
    const labels = texts(svg);
    assert.ok(labels.includes('10'));
    assert.ok(labels.includes('10 Nov 2026') && labels.includes('24 Nov 2026'), labels.join('|'));
    assert.equal(svg.querySelectorAll('circle').length, 2);
  });

  it('draws Penn frequency over time', () => {
    const chart = pennChart(SETS);
    const svg = checkChart(chart);
    assert.match(chart?.label ?? '', /Penn spasm frequency/);
    assert.equal(svg.querySelectorAll('circle').length, 2);
  });

  it('draws GAS baseline and achieved T-scores with a rule at 50, named in the chart not by colour', () => {
    const svg = checkChart(gasChart(SETS));
    const labels = texts(svg);
    assert.ok(labels.includes('Baseline') && labels.includes('Achieved'), labels.join('|'));
    assert.ok(labels.includes('50: as expected'));
    assert.ok(svg.querySelector('[data-mark="rule"]'), 'the rule at 50');
  });

  it('draws MAS per muscle group with the grades in their own order on an ordinal axis', () => {
    const charts = masCharts(SETS);
    assert.deepEqual(
      charts.map((c) => c.muscleGroup),
      ['hip-adductors', 'elbow-flexors'],
    );
    const svg = checkChart(charts[0]!);
    assert.match(charts[0]!.label, /hip adductors over time, left and right/);
    const grades = [...svg.querySelectorAll('[data-mark="y-axis tick label"] text')].map(
      (t) => t.textContent,
    );
    // Top to bottom: 4 highest, 0 at the foot of the axis.
    assert.deepEqual(grades, ['4', '3', '2', '1+', '1', '0']);
    assert.ok(!texts(svg).some((t) => /1\.5|^5$/.test(t)), 'no decimal or numeric recoding');
    assert.match(charts[1]!.label, /elbow flexors over time, left$/);
  });

  it('draws nothing for a measure never recorded', () => {
    const none: ChartSet[] = [
      { ...SETS[0]!, painNrs: null, pennFrequency: null, baselineTScore: null, mas: [] },
    ];
    assert.equal(painChart(none), null);
    assert.equal(pennChart(none), null);
    assert.equal(gasChart(none), null);
    assert.deepEqual(masCharts(none), []);
  });

  it('keeps a single date as one tick and a long history readable', () => {
    const one = checkChart(painChart([SETS[0]!]));
    assert.ok(texts(one).includes('10 Nov 2026'));
    const many: ChartSet[] = Array.from({ length: 12 }, (_, i) => ({
      ...SETS[0]!,
      recordedOn: `2026-${String(i + 1).padStart(2, '0')}-01`,
      painNrs: i % 11,
    }));
    const svg = checkChart(painChart(many));
    assert.equal(svg.querySelectorAll('circle').length, 12);
    const xTicks = svg.querySelectorAll('[data-mark="x-axis tick label"] text').length;
    assert.ok(xTicks >= 2 && xTicks <= 8, `x ticks: ${xTicks}`);
  });
});
