import { plainDateFromParts, type PlainDate } from '../../domain/calendar-date.ts';
import type { FieldError } from '../../domain/field-error.ts';
import { AppError } from '../../services/app-error.ts';

/** Reads a url-encoded form body as strings (a repeated field keeps its last value unless asked). */
export function formFields(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (typeof v === 'string') {
        out[k] = v;
      } else if (Array.isArray(v) && typeof v.at(-1) === 'string') {
        out[k] = v.at(-1) as string;
      }
    }
  }
  return out;
}

/**
 * The record version a form was opened at (its hidden `version` field), for optimistic
 * locking; null when missing or not a whole number from 1.
 */
export function formVersion(f: Record<string, string>): number | null {
  const v = Number(f.version);
  return Number.isInteger(v) && v >= 1 ? v : null;
}

/**
 * The message a redirect's `?done=` names, from a page's fixed table of messages. Only the
 * table's own entries count, so `?done=__proto__` or `?done=constructor` shows no message
 * rather than handing the page an object it cannot show.
 */
export function noticeFrom(table: Readonly<Record<string, string>>, key: string | undefined): string | null {
  return key !== undefined && Object.hasOwn(table, key) ? (table[key] ?? null) : null;
}

/** Every value of a repeated field (checkboxes). */
export function formList(body: unknown, name: string): string[] {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof v === 'string') {
    return [v];
  }
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * The three boxes of the NHS date-input pattern (`name-day`, `name-month`, `name-year`) as one
 * YYYY-MM-DD, or the message for the field when they are empty or not a real date.
 */
export function dateFromParts(
  f: Record<string, string>,
  name: string,
  label: string,
  example = '15 3 2026',
): { readonly date: PlainDate | null; readonly error: FieldError | null } {
  const [d, m, y] = [f[`${name}-day`] ?? '', f[`${name}-month`] ?? '', f[`${name}-year`] ?? ''];
  if (d.trim() === '' && m.trim() === '' && y.trim() === '') {
    return { date: null, error: { field: name, message: `Enter the ${label.toLowerCase()}` } };
  }
  const date = plainDateFromParts(d, m, y);
  return date
    ? { date, error: null }
    : { date: null, error: { field: name, message: `${label} must be a real date, like ${example}` } };
}

/** The boxes' values for a date, to fill the date-input pattern again. */
export function datePartsOf(date: string | null | undefined): { day: string; month: string; year: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  return m
    ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] ?? '' }
    : { day: '', month: '', year: '' };
}

/** Errors shown on the page they came from (field messages, a state or stale-edit refusal), not on an error page. */
const PAGE_ERRORS: readonly string[] = ['VALIDATION_FAILED', 'INVALID_STATE', 'STALE_EDIT'];

export function isPageError(err: unknown): err is AppError {
  return err instanceof AppError && PAGE_ERRORS.includes(err.code);
}
