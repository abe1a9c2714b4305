import type {
  Figure,
  FigureCell,
  FigureColumn,
  FigureDefinition,
  FigureGroup,
  FigureRange,
} from './figure.ts';
import { monthsInRange } from './months.ts';

/**
 * Builders for the figure shapes most figures take, so every figure's table, chart and CSV are
 * laid out alike: a row per month of the range (every month, a month with nothing counted
 * shows 0), then a total row for the whole period.
 */

export interface Category {
  readonly key: string;
  readonly label: string;
}

/** One count from a GROUP BY month, category query. */
export interface MonthCount {
  readonly month: string;
  readonly category: string;
  readonly n: number;
}

export const MONTH_COLUMN: FigureColumn = { key: 'month', label: 'Month' };
export const TOTAL_ROW_LABEL = 'Whole period';

/** The words every by-month definition ends with, so a reader knows how partial months count. */
export const PARTIAL_MONTHS_NOTE =
  'Counted by calendar month; the first and last months count only the days inside the period.';

export interface CountsByMonthOptions {
  readonly key: string;
  readonly group: FigureGroup;
  readonly title: string;
  readonly definition: FigureDefinition;
  readonly categories: readonly Category[];
  /** What one count is of: "referrals", "decisions" (the chart's axis and the headline). */
  readonly noun: string;
  readonly range: FigureRange;
  readonly counts: readonly MonthCount[];
}

/**
 * A count per month split by category (a stacked bar chart): a column per category and a
 * total. Counts of categories not listed are left out, so the categories must cover the facts.
 */
export function countsByMonthFigure(o: CountsByMonthOptions): Figure {
  const months = monthsInRange(o.range);
  const cell = new Map<string, number>();
  for (const c of o.counts) {
    cell.set(`${c.month}|${c.category}`, (cell.get(`${c.month}|${c.category}`) ?? 0) + c.n);
  }
  const count = (month: string, category: string) => cell.get(`${month}|${category}`) ?? 0;
  const rows = months.map((month) => {
    const row: Record<string, FigureCell> = { month };
    let total = 0;
    for (const c of o.categories) {
      const n = count(month, c.key);
      row[c.key] = n;
      total += n;
    }
    row.total = total;
    return row;
  });
  const totals: Record<string, FigureCell> = { month: TOTAL_ROW_LABEL };
  for (const c of o.categories) {
    totals[c.key] = months.reduce((sum, m) => sum + count(m, c.key), 0);
  }
  const grandTotal = rows.reduce((sum, r) => sum + (r.total as number), 0);
  totals.total = grandTotal;
  // Labels keep their own capitals: some are names (e-RS, Choose and Book).
  const parts = o.categories.map((c) => `${c.label} ${String(totals[c.key])}`).join(', ');
  return {
    key: o.key,
    group: o.group,
    title: o.title,
    definition: o.definition,
    headline: `${grandTotal} ${o.noun} in the period${grandTotal > 0 ? `: ${parts}` : ''}`,
    chart: {
      kind: o.categories.length > 1 ? 'stacked-bar' : 'bar',
      xLabel: 'Month',
      yLabel: `Number of ${o.noun}`,
      series: o.categories.map((c) => ({
        label: c.label,
        points: months.map((month) => ({ x: month, y: count(month, c.key) })),
      })),
    },
    table: {
      columns: [
        MONTH_COLUMN,
        ...o.categories.map((c) => ({ key: c.key, label: c.label })),
        { key: 'total', label: 'Total' },
      ],
      rows: [...rows, totals],
    },
  };
}

/** The categories of a closed list with its labels, in the list's order. */
export function categoriesOf<K extends string>(
  keys: readonly K[],
  labels: Readonly<Record<K, string>>,
): Category[] {
  return keys.map((key) => ({ key, label: labels[key] }));
}
