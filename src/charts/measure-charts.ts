import * as Plot from '@observablehq/plot';
import {
  MAS_GRADES,
  MUSCLE_GROUPS,
  SIDE_LABELS,
  SIDES,
  type MasEntry,
  type MuscleGroup,
  type Side,
} from '../domain/outcome-measures.ts';
import { render, seriesMarks, timeAxis, utcDate, type Point, type RenderedChart } from './svg-chart.ts';

/**
 * Outcome measure charts (svg-chart.ts draws them). The page always shows the same numbers in a
 * table next to each chart (a chart alone is not accessible).
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
