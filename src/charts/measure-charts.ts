import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import {
  MAS_GRADES,
  MUSCLE_GROUPS,
  SIDE_LABELS,
  SIDES,
  type MasEntry,
  type MuscleGroup,
  type Side,
} from '../domain/outcome-measures.ts';

/**
 * Outcome measure charts drawn on the server as SVG with Observable Plot, so the page needs no
 * JavaScript. Each chart is an image with a name saying what it shows, and the page always
 * shows the same numbers in a table next to it (a chart alone is not accessible).
 *
 * The site's CSP allows styles only from its own files (style-src 'self'), and Plot puts a
 * <style> element in its SVG: that element is removed and the chart carries the class
 * `app-chart`, styled in public/app.css. Presentation attributes (fill, stroke) are not styles
 * and the CSP allows them.
 */

/** What the charts need from a set: plain values, no patient details. */
export interface ChartSet {
  /** YYYY-MM-DD. */
  readonly recordedOn: string;
  readonly painNrs: number | null;
  readonly pennFrequency: number | null;
  readonly baselineTScore: number | null;
  readonly achievedTScore: number | null;
  readonly mas: readonly MasEntry[];
}

export interface RenderedChart {
  /** What the chart shows, also its accessible name. */
  readonly label: string;
  /** The SVG markup, safe to place in the page as it is (built through the DOM, so escaped). */
  readonly svg: string;
}

/** The few DOM operations used on Plot's output (the project builds without the DOM types). */
interface SvgNode {
  readonly outerHTML: string;
  readonly firstChild: SvgNode | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  querySelectorAll(selector: string): Iterable<SvgNode>;
  insertBefore(node: SvgNode, before: SvgNode | null): void;
  remove(): void;
  textContent: string | null;
}
interface SvgDocument {
  createElementNS(ns: string, name: string): SvgNode;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 260;

const axisDate = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A calendar date as a UTC midnight, only for placing it on the time axis. */
function utcDate(plainDate: string): Date {
  const [y, m, d] = plainDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

/**
 * The time axis: ticks at the dates measured when there are few of them, so a short span never
 * gets hour ticks and every tick is a day the patient was seen.
 */
function timeAxis(dates: readonly string[]) {
  const unique = [...new Set(dates)].sort();
  return {
    type: 'utc' as const,
    label: 'Date recorded',
    inset: 24,
    tickFormat: (d: Date) => axisDate.format(d),
    ...(unique.length <= 5 ? { ticks: unique.map(utcDate) } : { ticks: 5 }),
  };
}

function finish(plot: unknown, document: SvgDocument, label: string): string {
  // Plot returns an <svg> (no legend is ever asked for, so never a <figure>).
  const svg = plot as SvgNode;
  for (const style of [...svg.querySelectorAll('style')]) {
    style.remove();
  }
  for (const styled of [svg, ...svg.querySelectorAll('[style]')]) {
    styled.removeAttribute('style');
  }
  // Plot names each group of marks with aria-label, which ARIA does not allow on an element
  // with no role (axe: aria-prohibited-attr). The image is named once, on the <svg>; the
  // groups keep their names as data attributes.
  for (const group of [...svg.querySelectorAll('[aria-label]')]) {
    group.setAttribute('data-mark', group.getAttribute('aria-label') ?? '');
    group.removeAttribute('aria-label');
  }
  for (const described of [svg, ...svg.querySelectorAll('[aria-description]')]) {
    described.removeAttribute('aria-description');
  }
  svg.setAttribute('class', 'app-chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const title = document.createElementNS(SVG_NS, 'title');
  title.textContent = label;
  svg.insertBefore(title, svg.firstChild);
  return svg.outerHTML;
}

/** A fresh server-side DOM for one chart (typed by hand: linkedom's types need the DOM's). */
function newDocument(): SvgDocument {
  const window: unknown = parseHTML('<!doctype html><html><body></body></html>');
  return (window as { readonly document: SvgDocument }).document;
}

function render(label: string, options: Record<string, unknown>): RenderedChart {
  const document = newDocument();
  const plot: unknown = Plot.plot({
    document,
    width: WIDTH,
    height: HEIGHT,
    marginLeft: 56,
    marginRight: 56,
    marginBottom: 40,
    ...options,
  });
  return { label, svg: finish(plot, document, label) };
}

interface Point {
  readonly date: Date;
  readonly value: number | string;
  readonly series: string;
}

interface Series {
  readonly name: string;
  readonly dash: string;
  readonly symbol: string;
  /** Moves the name up or down, so two series ending at the same value stay readable. */
  readonly dy: number;
}

/** A line with a dot at each value, and the series' name at its last point (no colour key). */
function seriesMarks(points: readonly Point[], series: readonly Series[]) {
  return series.flatMap(({ name, dash, symbol, dy }) => {
    const mine = points.filter((p) => p.series === name);
    if (mine.length === 0) {
      return [];
    }
    const last = mine.slice(-1);
    return [
      Plot.line(mine, {
        x: 'date',
        y: 'value',
        stroke: 'currentColor',
        strokeWidth: 2,
        strokeDasharray: dash,
      }),
      Plot.dot(mine, { x: 'date', y: 'value', r: 4, fill: 'currentColor', symbol }),
      Plot.text(last, {
        x: 'date',
        y: 'value',
        text: () => name,
        dx: 8,
        dy,
        textAnchor: 'start',
        fontSize: 12,
      }),
    ];
  });
}

function numberSeries(
  sets: readonly ChartSet[],
  pick: (s: ChartSet) => number | null,
): { date: Date; value: number }[] {
  return sets.flatMap((s) => {
    const value = pick(s);
    return value === null ? [] : [{ date: utcDate(s.recordedOn), value }];
  });
}

/** Pain NRS-11 (0–10) over time [NRS]; null when no set recorded pain. */
export function painChart(sets: readonly ChartSet[]): RenderedChart | null {
  const points = numberSeries(sets, (s) => s.painNrs);
  if (points.length === 0) {
    return null;
  }
  return render(`Chart: pain score (0 to 10) over time, ${points.length} recorded`, {
    x: timeAxis(sets.filter((s) => s.painNrs !== null).map((s) => s.recordedOn)),
    y: { domain: [0, 10], ticks: 10, label: 'Pain (0 to 10)', grid: true },
    marks: [
      Plot.line(points, { x: 'date', y: 'value', stroke: 'currentColor', strokeWidth: 2 }),
      Plot.dot(points, { x: 'date', y: 'value', r: 4, fill: 'currentColor' }),
    ],
  });
}

/** Penn spasm frequency (0–4) over time [PSFS]; null when no set recorded it. */
export function pennChart(sets: readonly ChartSet[]): RenderedChart | null {
  const points = numberSeries(sets, (s) => s.pennFrequency);
  if (points.length === 0) {
    return null;
  }
  return render(`Chart: Penn spasm frequency (0 to 4) over time, ${points.length} recorded`, {
    x: timeAxis(sets.filter((s) => s.pennFrequency !== null).map((s) => s.recordedOn)),
    y: { domain: [0, 4], ticks: 4, label: 'Penn spasm frequency (0 to 4)', grid: true },
    marks: [
      Plot.line(points, { x: 'date', y: 'value', stroke: 'currentColor', strokeWidth: 2 }),
      Plot.dot(points, { x: 'date', y: 'value', r: 4, fill: 'currentColor' }),
    ],
  });
}

/**
 * GAS T-scores over time [GAS]: the baseline and the achieved score of each set, with a rule at
 * 50, the score of goals achieved as expected.
 */
export function gasChart(sets: readonly ChartSet[]): RenderedChart | null {
  const points: Point[] = [
    ...numberSeries(sets, (s) => s.baselineTScore).map((p) => ({ ...p, series: 'Baseline' })),
    ...numberSeries(sets, (s) => s.achievedTScore).map((p) => ({ ...p, series: 'Achieved' })),
  ];
  if (points.length === 0) {
    return null;
  }
  const values = points.map((p) => p.value as number);
  const low = Math.min(20, Math.floor(Math.min(...values) / 10) * 10);
  const high = Math.max(80, Math.ceil(Math.max(...values) / 10) * 10);
  return render('Chart: GAS T-score over time, baseline and achieved, with the expected level of 50 marked', {
    x: timeAxis(points.map((p) => p.date.toISOString().slice(0, 10))),
    y: { domain: [low, high], label: 'GAS T-score', grid: true },
    marks: [
      Plot.ruleY([50], { stroke: 'currentColor', strokeDasharray: '2,3' }),
      Plot.text([50], {
        y: (d: number) => d,
        frameAnchor: 'left',
        dy: -7,
        dx: 4,
        text: () => '50: as expected',
      }),
      ...seriesMarks(points, [
        { name: 'Baseline', dash: '6,4', symbol: 'square', dy: 8 },
        { name: 'Achieved', dash: 'none', symbol: 'circle', dy: -8 },
      ]),
    ],
  });
}

export interface MuscleGroupChart extends RenderedChart {
  readonly muscleGroup: MuscleGroup;
}

/**
 * Modified Ashworth grades over time, one chart per muscle group graded, left and right as two
 * lines. The grades sit on an ordinal axis in their own order (0, 1, 1+, 2, 3, 4) [MAS]: they
 * are never turned into numbers.
 */
export function masCharts(sets: readonly ChartSet[]): MuscleGroupChart[] {
  return MUSCLE_GROUPS.flatMap(({ id, label }) => {
    const points: Point[] = sets.flatMap((s) =>
      s.mas
        .filter((m) => m.muscleGroup === id)
        .map((m) => ({ date: utcDate(s.recordedOn), value: m.grade, series: SIDE_LABELS[m.side] })),
    );
    if (points.length === 0) {
      return [];
    }
    const sides = SIDES.filter((side: Side) => points.some((p) => p.series === SIDE_LABELS[side]));
    const chart = render(
      `Chart: Modified Ashworth grade of the ${label.toLowerCase()} over time, ${sides.join(' and ')}`,
      {
        height: 220,
        x: timeAxis(points.map((p) => p.date.toISOString().slice(0, 10))),
        // Reversed so that grade 0 sits at the bottom, as on the other charts' value axes.
        y: { type: 'point', domain: [...MAS_GRADES], reverse: true, label: 'Ashworth grade', grid: true },
        marks: seriesMarks(points, [
          { name: SIDE_LABELS.left, dash: 'none', symbol: 'circle', dy: -8 },
          { name: SIDE_LABELS.right, dash: '6,4', symbol: 'square', dy: 8 },
        ]),
      },
    );
    return [{ ...chart, muscleGroup: id }];
  });
}
