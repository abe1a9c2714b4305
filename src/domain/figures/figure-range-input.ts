import { addMonths, daysBetween, parsePlainDate, type PlainDate } from '../calendar-date.ts';
import type { FieldError, Validated } from '../field-error.ts';
import type { FigureRange } from './figure.ts';

/**
 * The period the figures page, its CSVs and the API are asked for. Both ends are calendar days,
 * included. Left empty, the period is the last 12 months by month: from the first day of the
 * month eleven months back to today, so the current (partial) month is the last of twelve.
 */

/** Longest period shown: ten years of months is already 120 bars a chart. */
export const MAX_RANGE_YEARS = 10;

export function defaultFigureRange(today: PlainDate): FigureRange {
  return { from: `${addMonths(today, -11).slice(0, 7)}-01` as PlainDate, to: today };
}

export interface FigureRangeQuery {
  readonly from?: unknown;
  readonly to?: unknown;
}

function dateField(
  raw: unknown,
  field: 'from' | 'to',
  label: string,
  fallback: PlainDate,
): PlainDate | FieldError {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    return fallback;
  }
  if (typeof raw !== 'string') {
    return { field, message: `Enter one ${label.toLowerCase()}` };
  }
  return parsePlainDate(raw) ?? { field, message: `${label} must be a real date in the format YYYY-MM-DD` };
}

/**
 * Reads `from` and `to` (YYYY-MM-DD, either may be left out) into a range, or errors naming the
 * field: not a real date, the end before the start, or a period over MAX_RANGE_YEARS.
 */
export function parseFigureRange(query: FigureRangeQuery, today: PlainDate): Validated<FigureRange> {
  const fallback = defaultFigureRange(today);
  const from = dateField(query.from, 'from', 'Start date', fallback.from);
  const to = dateField(query.to, 'to', 'End date', fallback.to);
  const errors = [from, to].filter((v): v is FieldError => typeof v !== 'string');
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  const range = { from: from as PlainDate, to: to as PlainDate };
  if (daysBetween(range.from, range.to) < 0) {
    return {
      ok: false,
      errors: [{ field: 'to', message: 'End date must be the same as or after the start date' }],
    };
  }
  if (range.from < addMonths(range.to, -12 * MAX_RANGE_YEARS)) {
    return {
      ok: false,
      errors: [
        {
          field: 'from',
          message: `The period must be ${MAX_RANGE_YEARS} years or shorter: enter a later start date`,
        },
      ],
    };
  }
  return { ok: true, value: range };
}
