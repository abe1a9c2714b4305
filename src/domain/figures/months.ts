import type { PlainDate } from '../calendar-date.ts';
import type { FigureRange } from './figure.ts';

/**
 * The calendar months a range touches, as 'YYYY-MM', oldest first: the x axis of a figure shown
 * by month. A month the range only partly covers is included (the table says which days).
 */
export function monthsInRange(range: FigureRange): string[] {
  const [fromYear, fromMonth] = range.from.split('-').map(Number) as [number, number];
  const [toYear, toMonth] = range.to.split('-').map(Number) as [number, number];
  const months: string[] = [];
  for (let index = fromYear * 12 + fromMonth - 1; index <= toYear * 12 + toMonth - 1; index += 1) {
    const year = Math.floor(index / 12);
    months.push(`${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}

/** The month a calendar day falls in, as 'YYYY-MM'. */
export function monthOf(date: PlainDate): string {
  return date.slice(0, 7);
}
