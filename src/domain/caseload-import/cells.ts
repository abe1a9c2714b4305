import { parsePlainDate, plainDateFromParts, type PlainDate } from '../calendar-date.ts';

/**
 * A cell as the file readers hand it over: text, a number, a calendar day (a date cell, already
 * taken as the day the spreadsheet shows, with no time zone), or empty. Formulas arrive as their
 * cached result. JSON-safe, so staged rows are stored as read.
 */
export type Cell = string | number | boolean | { readonly date: string } | null;

export type CellResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export function isBlank(cell: Cell | undefined): boolean {
  return cell === undefined || cell === null || (typeof cell === 'string' && cell.trim() === '');
}

/** The cell as text, as a person reads it; '' when blank. */
export function cellText(cell: Cell | undefined): string {
  if (cell === undefined || cell === null) {
    return '';
  }
  if (typeof cell === 'object') {
    return cell.date;
  }
  return String(cell).trim();
}

/**
 * A number in the column's unit. A number cell is taken as it is; text may have thousands
 * separators ("1,000") and the column's own unit after it ("20 ml"), nothing else, so "2 mg" in a
 * mcg column or "twenty" is refused rather than guessed (hazard H-211).
 */
export function cellNumber(cell: Cell | undefined, unit: string): CellResult<number> {
  if (typeof cell === 'number') {
    return Number.isFinite(cell) ? { ok: true, value: cell } : { ok: false, message: 'is not a number' };
  }
  const text = cellText(cell);
  const m = numberPattern(unit).exec(text);
  if (!m) {
    return { ok: false, message: `must be a number in ${unit}, not "${text}"` };
  }
  return { ok: true, value: Number(`${(m[1] ?? '').replaceAll(',', '')}${m[2] ?? ''}`) };
}

const NUMBER_PATTERNS = new Map<string, RegExp>();

/** "1,000", "20", "2.5", each with the unit after it or not; compiled once per unit. */
function numberPattern(unit: string): RegExp {
  let re = NUMBER_PATTERNS.get(unit);
  if (!re) {
    const u = unit.replace(/[/]/g, '\\/');
    re = new RegExp(`^([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\\.[0-9]+)?\\s*(?:${u})?$`, 'i');
    NUMBER_PATTERNS.set(unit, re);
  }
  return re;
}

/**
 * A calendar day: a date cell, or text as YYYY-MM-DD or DD/MM/YYYY (also with - or .), the UK
 * order; a two-digit year or US order (MM/DD) is never guessed. A bare number (an unformatted
 * spreadsheet date serial) is refused: format the column as dates.
 */
export function cellDate(cell: Cell | undefined): CellResult<PlainDate> {
  if (cell !== null && typeof cell === 'object') {
    const d = parsePlainDate(cell.date);
    return d ? { ok: true, value: d } : { ok: false, message: 'is not a real date' };
  }
  if (typeof cell === 'number') {
    return { ok: false, message: `is a number (${cell}), not a date: format the column as dates` };
  }
  const text = cellText(cell);
  const iso = parsePlainDate(text);
  if (iso) {
    return { ok: true, value: iso };
  }
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const d = uk ? plainDateFromParts(uk[1] ?? '', uk[2] ?? '', uk[3] ?? '') : null;
  return d
    ? { ok: true, value: d }
    : { ok: false, message: `must be a date as DD/MM/YYYY or YYYY-MM-DD, not "${text}"` };
}
