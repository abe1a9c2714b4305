import { normaliseNhsNumber, checkNhsNumber } from './nhs-number.ts';
import { parsePlainDate, plainDateFromParts } from './calendar-date.ts';

export interface SearchCriteria {
  readonly nhsNumber?: string;
  readonly hospitalNumber?: string;
  readonly familyName?: string;
  readonly givenName?: string;
  readonly dateOfBirth?: string;
}

export type ParsedSearch =
  { readonly ok: true; readonly criteria: SearchCriteria } | { readonly ok: false; readonly message: string };

/**
 * Reads the one search box: an NHS number (with or without spaces), a date of birth
 * (YYYY-MM-DD or DD/MM/YYYY), a hospital number (letters with digits), and names
 * ("Smith", "John Smith" or "Smith, John"), in any combination.
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
  const criteria: { -readonly [K in keyof SearchCriteria]: SearchCriteria[K] } = {};
  const names: string[] = [];
  const commaForm = text.includes(',');
  for (const token of text.split(/[\s,]+/).filter(Boolean)) {
    const iso = parsePlainDate(token);
    const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(token);
    if (iso) {
      criteria.dateOfBirth = iso;
    } else if (uk) {
      const d = plainDateFromParts(uk[1] ?? '', uk[2] ?? '', uk[3] ?? '');
      if (!d) {
        return { ok: false, message: `${token} is not a real date` };
      }
      criteria.dateOfBirth = d;
    } else if (/\d/.test(token) && /^[A-Za-z0-9]+$/.test(token)) {
      criteria.hospitalNumber = token;
    } else if (/^[\p{L}'’-]+$/u.test(token)) {
      names.push(token);
    } else {
      return {
        ok: false,
        message: `Could not read "${token}": search by NHS number, name, date of birth or hospital number`,
      };
    }
  }
  if (names.length === 1) {
    criteria.familyName = names[0];
  } else if (names.length >= 2) {
    // "Smith, John" puts the family name first; "John Smith" puts it last.
    criteria.familyName = commaForm ? names[0] : names.at(-1);
    criteria.givenName = commaForm ? names.slice(1).join(' ') : names.slice(0, -1).join(' ');
  }
  return { ok: true, criteria };
}
