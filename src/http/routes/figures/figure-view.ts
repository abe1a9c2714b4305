import { figureChart, monthLabel, type FigureChartView } from '../../../charts/figure-charts.ts';
import type { Figure, FigureCell, FigureRange } from '../../../domain/figures/figure.ts';

/** A figure as the page shows it: its chart drawn, its cells worded, its CSV link. */
export interface FigureView {
  readonly figure: Figure;
  readonly chart: FigureChartView | null;
  readonly columns: readonly { readonly key: string; readonly heading: string; readonly numeric: boolean }[];
  readonly rows: readonly (readonly string[])[];
  /** The table is narrow enough to sit beside the chart on a wide screen. */
  readonly beside: boolean;
  readonly csvHref: string;
}

function cellText(value: FigureCell | undefined, key: string): string {
  if (value === null || value === undefined) {
    return '–';
  }
  if (typeof value === 'number') {
    return value.toLocaleString('en-GB', { maximumFractionDigits: 1 });
  }
  return key === 'month' ? monthLabel(value) : value;
}

export function rangeQuery(range: FigureRange): string {
  return new URLSearchParams({ from: range.from, to: range.to }).toString();
}

export function figureView(figure: Figure, range: FigureRange): FigureView {
  const columns = figure.table.columns.map((c) => ({
    key: c.key,
    heading: c.unit ? `${c.label} (${c.unit})` : c.label,
    numeric: figure.table.rows.some((r) => typeof r[c.key] === 'number'),
  }));
  return {
    figure,
    chart: figureChart(figure),
    columns,
    rows: figure.table.rows.map((r) => columns.map((c) => cellText(r[c.key], c.key))),
    beside: columns.length <= 4,
    csvHref: `/figures/${encodeURIComponent(figure.key)}.csv?${rangeQuery(range)}`,
  };
}
