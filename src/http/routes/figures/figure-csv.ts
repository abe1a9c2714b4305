import { stringify } from 'csv-stringify/sync';
import { csvSafeCell } from '../../../domain/csv-cell.ts';
import type { Figure, FigureCell, FigureRange } from '../../../domain/figures/figure.ts';

/**
 * One figure as CSV: first its definition, one "name, value" line each (what it counts, what
 * it divides by, the notes, the period), a blank line, then the table with a header row. A
 * spreadsheet opens it as it is and the definition travels with the numbers. Every text cell is
 * guarded against formula injection (csv-cell.ts); numbers are written as numbers.
 */
export function figureCsv(figure: Figure, range: FigureRange): string {
  const text = (v: string) => csvSafeCell(v);
  const cell = (v: FigureCell) => (v === null ? '' : typeof v === 'number' ? v : text(v));
  const d = figure.definition;
  const preamble: string[][] = [
    ['Figure', figure.title],
    ['From', range.from],
    ['To', range.to],
    ['Counts', d.numerator],
    ['Divided by', d.denominator ?? 'Not a rate: a count'],
    ...(d.notes ? [['Notes', d.notes]] : []),
    ...(figure.headline ? [['Headline', figure.headline]] : []),
  ].map((row) => row.map(text));
  const header = figure.table.columns.map((c) => text(c.unit ? `${c.label} (${c.unit})` : c.label));
  const rows = figure.table.rows.map((r) => figure.table.columns.map((c) => cell(r[c.key] ?? null)));
  return stringify([...preamble, [], header, ...rows]);
}

/** The download's file name: the figure's key and the period, e.g. procedures-2026-01-01-to-2026-12-07.csv. */
export function figureCsvName(key: string, range: FigureRange): string {
  return `${key}-${range.from}-to-${range.to}.csv`;
}
