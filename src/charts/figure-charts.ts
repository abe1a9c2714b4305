import * as Plot from '@observablehq/plot';
import type { Figure, FigureChart } from '../domain/figures/figure.ts';
import { render, type RenderedChart } from './svg-chart.ts';

/**
 * A figure's chart (figure.ts FigureChart) drawn as SVG on the server by svg-chart.ts. The page
 * always shows the same numbers in the table beside it, which is what a screen reader reads; the
 * chart is one image named by what it shows. Bars of several series are told apart by colour
 * and by the key under the chart; lines by their dash and symbol and their name at the end.
 */

export interface FigureChartView extends RenderedChart {
  /** The key under a stacked bar chart: each series' name and colour, in stacking order. */
  readonly key: readonly { readonly label: string; readonly colour: string }[];
}

/** NHS identity colours with at least 3:1 contrast against white (WCAG 2.2, 1.4.11). */
export const SERIES_COLOURS = ['#005eb8', '#330072', '#007f3b', '#d5281b', '#425563', '#ae2573', '#00401e'];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'YYYY-MM' as 'Nov 2026'; anything else as it is. */
export function monthLabel(x: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(x);
  return m ? `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}` : x;
}

/**
 * At most six tick labels along the axis: the chart shares the row with its table, and twelve
 * 'Nov 2026' labels run into each other at that width.
 */
function xTicks(xs: readonly string[]): string[] {
  const step = Math.max(1, Math.ceil(xs.length / 6));
  return xs.filter((_, i) => i % step === 0);
}

function describe(figure: Figure, chart: FigureChart): string {
  const series = chart.series.map((s) => s.label).join(', ');
  const what = chart.kind === 'line' ? 'Line chart' : 'Bar chart';
  return `${what}: ${figure.title}, ${chart.yLabel.toLowerCase()} by ${chart.xLabel.toLowerCase()} (${series}). The table gives the same numbers.`;
}

const LINE_STYLES = [
  { dash: 'none', symbol: 'circle' },
  { dash: '6,4', symbol: 'square' },
  { dash: '2,3', symbol: 'triangle' },
  { dash: '8,3,2,3', symbol: 'diamond' },
];

function lineMarks(chart: FigureChart) {
  return chart.series.flatMap((series, i) => {
    const style = LINE_STYLES[i % LINE_STYLES.length] ?? { dash: 'none', symbol: 'circle' };
    const points = series.points.map((p) => ({ x: p.x, y: p.y }));
    const present = points.filter((p) => p.y !== null);
    const last = present.slice(-1);
    return [
      Plot.line(points, {
        x: 'x',
        y: 'y',
        stroke: 'currentColor',
        strokeWidth: 2,
        strokeDasharray: style.dash,
      }),
      Plot.dot(present, { x: 'x', y: 'y', r: 3.5, fill: 'currentColor', symbol: style.symbol }),
      Plot.text(last, {
        x: 'x',
        y: 'y',
        text: () => series.label,
        dx: 8,
        dy: i % 2 === 0 ? -8 : 8,
        textAnchor: 'start',
        fontSize: 12,
      }),
    ];
  });
}

/** The figure's chart, or null when it has none. */
export function figureChart(figure: Figure): FigureChartView | null {
  const chart = figure.chart;
  if (chart === null || chart.series.length === 0) {
    return null;
  }
  const xs = (chart.series[0]?.points ?? []).map((p) => p.x);
  const x = {
    type: chart.kind === 'line' ? ('point' as const) : ('band' as const),
    domain: xs,
    ticks: xTicks(xs),
    tickFormat: monthLabel,
    label: chart.xLabel,
    padding: chart.kind === 'line' ? 0.5 : 0.2,
  };
  const values = chart.series.flatMap((s) => s.points.map((p) => p.y ?? 0));
  const label = describe(figure, chart);
  if (chart.kind === 'line') {
    const high = Math.max(1, ...values);
    return {
      ...render(label, {
        x,
        y: { domain: [0, high * 1.1], label: chart.yLabel, grid: true, nice: true },
        marginRight: 120,
        marks: [Plot.ruleY([0]), ...lineMarks(chart)],
      }),
      key: [],
    };
  }
  const data = chart.series.flatMap((s) => s.points.map((p) => ({ x: p.x, y: p.y ?? 0, series: s.label })));
  const labels = chart.series.map((s) => s.label);
  const colours = labels.map((_, i) => SERIES_COLOURS[i % SERIES_COLOURS.length] ?? '#005eb8');
  return {
    ...render(label, {
      x,
      y: { label: chart.yLabel, grid: true, nice: true },
      color: { domain: labels, range: colours },
      marks: [
        Plot.barY(
          data,
          chart.series.length > 1 ? { x: 'x', y: 'y', fill: 'series' } : { x: 'x', y: 'y', fill: colours[0] },
        ),
        Plot.ruleY([0]),
      ],
    }),
    key: chart.series.length > 1 ? labels.map((l, i) => ({ label: l, colour: colours[i] ?? '#005eb8' })) : [],
  };
}
