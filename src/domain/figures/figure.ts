import type { PlainDate } from '../calendar-date.ts';

/**
 * One service figure as the figures page, its chart, its table and its CSV show it. Figures are
 * counts and rates only: no row may carry anything that identifies a patient.
 */

/** The period a figure covers: calendar days, both ends included. */
export interface FigureRange {
  readonly from: PlainDate;
  readonly to: PlainDate;
}

/** The sections of the figures page, in page order. */
export const FIGURE_GROUPS = {
  referrals: 'Referrals and first appointments',
  selection: 'Selection, MDT and test doses',
  procedures: 'Implants, revisions, replacements and explants',
  refills: 'Refills',
  caseload: 'Caseload and doses',
  complications: 'Complications',
  today: 'Today',
} as const;
export type FigureGroup = keyof typeof FIGURE_GROUPS;

/** What a figure counts, stated on the page beside it. */
export interface FigureDefinition {
  /** What is counted (the numerator of a rate). */
  readonly numerator: string;
  /** What it is divided by; null for a plain count. */
  readonly denominator: string | null;
  /** Anything a reader must know to read it right (exclusions, how a day is counted). */
  readonly notes?: string;
}

export type FigureCell = string | number | null;

export interface FigureColumn {
  readonly key: string;
  readonly label: string;
  /** Shown in the header and the CSV: '%', 'days', 'mcg/day', 'per 100 pump-years'. */
  readonly unit?: string;
}

export interface FigureTable {
  readonly columns: readonly FigureColumn[];
  readonly rows: readonly Readonly<Record<string, FigureCell>>[];
}

/** One line or one set of bars of the chart: a value per category (usually per month). */
export interface FigureSeries {
  readonly label: string;
  readonly points: readonly { readonly x: string; readonly y: number | null }[];
}

export interface FigureChart {
  readonly kind: 'bar' | 'stacked-bar' | 'line';
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly FigureSeries[];
}

export interface Figure {
  /** Lower-case words joined by hyphens: the page anchor and the CSV's file name. */
  readonly key: string;
  readonly group: FigureGroup;
  readonly title: string;
  readonly definition: FigureDefinition;
  /** The one number a reader looks for first, already worded ("87% (174 of 200)"), if any. */
  readonly headline: string | null;
  /** Null where a chart would add nothing (a single count). */
  readonly chart: FigureChart | null;
  readonly table: FigureTable;
}
