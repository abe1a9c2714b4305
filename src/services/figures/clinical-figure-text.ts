import type { FigureCell } from '../../domain/figures/figure.ts';

/**
 * Wording shared by the clinical figures. A rate with nothing to divide by is "no data", never
 * 0% or a division by zero: a month without refills did not do badly, it did nothing.
 */

export const NO_DATA = 'no data';

/** A percentage to one decimal place; null when the denominator is 0. */
export function percent(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 10;
}

/** "87.5% (175 of 200)", or "no data". */
export function rateText(numerator: number, denominator: number): string {
  const p = percent(numerator, denominator);
  return p === null ? NO_DATA : `${String(p)}% (${String(numerator)} of ${String(denominator)})`;
}

/** A table cell: the number, or "no data" for a rate that could not be worked out. */
export function cell(value: number | null): FigureCell {
  return value === null ? NO_DATA : value;
}

/** A number to one decimal place (doses, pump-years, rates). */
export function oneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}
