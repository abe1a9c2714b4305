import { normaliseNhsNumber, checkNhsNumber } from './nhs-number.ts';
import { plainDateFromParts } from './calendar-date.ts';
import { hospitalNumberKey, nameKey, type NamePart } from './patient-search-key.ts';

/** A word of a name searched for: the start of a term (patient-search-key.ts) of either name or of one. */
export interface NameWord {
  readonly key: string;
  /** Which name it must be the start of; either when absent. */
  readonly part?: NamePart;
}

export interface SearchCriteria {
  readonly nhsNumber?: string;
  /** The hospital number as its key (hospitalNumberKey): capitals, no spaces. */
  readonly hospitalNumber?: string;
  /** Every word must be found in the patient's names. */
  readonly names?: readonly NameWord[];
  readonly dateOfBirth?: string;
}

export type ParsedSearch =
  { readonly ok: true; readonly criteria: SearchCriteria } | { readonly ok: false; readonly message: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

/** "7 March 1978", "7th Mar 1978", "7 Sept 1978": a day, a month in words, a four-figure year. */
const WORDED_DATE =
  /(?<![\p{L}\p{N}])(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?,?\s+(\d{4})(?![\p{L}\p{N}])/giu;
/** "07/03/1978", "7.3.1978", "7-3-1978": day first, as written in the UK. */
const NUMERIC_DATE = /(?<![\p{L}\p{N}/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\p{L}\p{N}/.-])/gu;
const ISO_DATE = /(?<![\p{L}\p{N}/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\p{L}\p{N}/.-])/gu;
/** A two-figure year could be either century; the person is asked to write it out. */
const SHORT_YEAR_DATE = /(?<![\p{L}\p{N}/.-])\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?![\p{L}\p{N}/.-])/u;

type Found = { readonly date: string } | { readonly problem: string };

/** Takes the dates out of the text, reading each; what is left is searched as words. */
function takeDates(text: string): { readonly rest: string; readonly found: readonly Found[] } {
  const found: Found[] = [];
  const read = (written: string, day: string, month: string, year: string) => {
    const date = plainDateFromParts(day, month, year);
    found.push(date ? { date } : { problem: `${written.trim()} is not a real date` });
    return ' ';
  };
  let rest = text.replace(WORDED_DATE, (m, d: string, mon: string, y: string) =>
    read(m, d, String(MONTHS.indexOf(mon.slice(0, 3).toLowerCase() as (typeof MONTHS)[number]) + 1), y),
  );
  rest = rest.replace(ISO_DATE, (m, y: string, mo: string, d: string) => read(m, d, mo, y));
  rest = rest.replace(NUMERIC_DATE, (m, d: string, mo: string, y: string) => read(m, d, mo, y));
  const short = SHORT_YEAR_DATE.exec(rest);
  if (short) {
    found.push({ problem: `Write the year of ${short[0]} in full, for example 07/03/1978` });
  }
  return { rest, found };
}

const UNREADABLE = (token: string) =>
  `Could not read "${token}": search by NHS number, name, date of birth or hospital number`;

/**
 * Reads the one search box: an NHS number (with or without spaces), a date of birth
 * ("7 March 1978", "07/03/1978" or "1978-03-07"), a hospital number (letters with digits, with
 * or without spaces: "RR8 123456") and any words of the names ("Smith", "John Smith",
 * "Smith, John", "o'brien", "Brien-Smith"), in any combination.
 */
export function parseSearchQuery(query: string): ParsedSearch {
  const text = query.trim();
  if (text === '') {
    return { ok: false, message: 'Enter an NHS number, name, date of birth or hospital number' };
  }
  if (text.length > 200) {
    return { ok: false, message: 'Search must be 200 characters or fewer' };
  }
  const digitsOnly = normaliseNhsNumber(text);
  if (/^\d{10}$/.test(digitsOnly)) {
    const checked = checkNhsNumber(digitsOnly);
    return checked.ok
      ? { ok: true, criteria: { nhsNumber: checked.value } }
      : { ok: false, message: 'That NHS number fails its check digit: check each digit and search again' };
  }
  const { rest, found } = takeDates(text);
  const problem = found.find((f) => 'problem' in f);
  if (problem && 'problem' in problem) {
    return { ok: false, message: problem.problem };
  }
  const dates = [...new Set(found.map((f) => ('date' in f ? f.date : '')))];
  if (dates.length > 1) {
    return { ok: false, message: 'Search with one date of birth at a time' };
  }
  const names: NameWord[] = [];
  const hospitalPieces: string[] = [];
  for (const token of rest.split(/[\s,]+/).filter(Boolean)) {
    if (/\d/.test(token) && /^[A-Za-z0-9-]+$/.test(token)) {
      // "RR8 123456" is one hospital number typed with a space: its pieces are joined.
      hospitalPieces.push(token);
    } else if (/^[\p{L}\p{M}'’.-]+$/u.test(token)) {
      const key = nameKey(token);
      if (key !== '' && !names.some((n) => n.key === key)) {
        names.push({ key });
      }
    } else {
      return { ok: false, message: UNREADABLE(token) };
    }
  }
  const hospitalNumber = hospitalNumberKey(hospitalPieces.join(''));
  const criteria: SearchCriteria = {
    ...(dates[0] ? { dateOfBirth: dates[0] } : {}),
    ...(hospitalNumber ? { hospitalNumber } : {}),
    ...(names.length > 0 ? { names } : {}),
  };
  if (Object.keys(criteria).length === 0) {
    return { ok: false, message: UNREADABLE(text) };
  }
  return { ok: true, criteria };
}

export interface SearchFields {
  readonly q?: string | undefined;
  readonly nhsNumber?: string | undefined;
  readonly hospitalNumber?: string | undefined;
  readonly familyName?: string | undefined;
  readonly givenName?: string | undefined;
  readonly dateOfBirth?: string | undefined;
}

/**
 * The API's search: the free text read as the search box reads it, with any named fields added
 * (a family or given name must then be the start of that name, or of a part of it).
 */
export function searchFromFields(f: SearchFields): ParsedSearch {
  let criteria: SearchCriteria = {};
  if (f.q !== undefined) {
    const parsed = parseSearchQuery(f.q);
    if (!parsed.ok) {
      return parsed;
    }
    criteria = parsed.criteria;
  }
  const names: NameWord[] = [...(criteria.names ?? [])];
  for (const [text, part] of [
    [f.familyName, 'family'],
    [f.givenName, 'given'],
  ] as const) {
    const key = text === undefined ? '' : nameKey(text);
    if (key !== '') {
      names.push({ key, part });
    }
  }
  const nhs = f.nhsNumber === undefined ? '' : normaliseNhsNumber(f.nhsNumber);
  const hospital = f.hospitalNumber === undefined ? null : hospitalNumberKey(f.hospitalNumber);
  criteria = {
    ...criteria,
    ...(nhs !== '' ? { nhsNumber: nhs } : {}),
    ...(hospital ? { hospitalNumber: hospital } : {}),
    ...(f.dateOfBirth !== undefined ? { dateOfBirth: f.dateOfBirth } : {}),
    ...(names.length > 0 ? { names } : {}),
  };
  return Object.keys(criteria).length === 0
    ? { ok: false, message: 'Give at least one thing to search by' }
    : { ok: true, criteria };
}

/** The first date written in the text, in any of the ways the search box reads; null when none is real. */
export function firstDateIn(text: string): string | null {
  for (const f of takeDates(text).found) {
    if ('date' in f) {
      return f.date;
    }
  }
  return null;
}
