import type { FieldError } from './field-error.ts';
import { checkNhsNumber } from './nhs-number.ts';
import { nameKey } from './patient-search-key.ts';
import { parseUbrn } from './ubrn.ts';

/**
 * The referral list's search box and pages. One box, as staff search: an NHS number or a UBRN
 * (with or without the spaces people copy them with), or words that are the starts of the
 * patient's names (as patient search reads them, patient-search-key.ts) or part of the
 * referrer's name or organisation ("Patel", "Chapeltown").
 */
export type ReferralSearch =
  | { readonly kind: 'nhs-number'; readonly nhsNumber: string }
  | { readonly kind: 'ubrn'; readonly ubrn: string }
  | {
      readonly kind: 'words';
      /** Every key must start one of the patient's name terms… */
      readonly nameKeys: readonly string[];
      /** …or this text, lower case, must be part of the referrer's name or organisation. */
      readonly referrerText: string;
    };

export const REFERRAL_SEARCH_MAX_LENGTH = 100;

/** The search typed into the box, read; null when the box is empty (every referral). */
export function parseReferralSearch(
  raw: string | null | undefined,
):
  | { readonly ok: true; readonly search: ReferralSearch | null }
  | { readonly ok: false; readonly error: FieldError } {
  const text = (raw ?? '').trim().replace(/\s+/g, ' ');
  const fail = (message: string) => ({ ok: false as const, error: { field: 'q', message } });
  if (text === '') {
    return { ok: true, search: null };
  }
  if (text.length > REFERRAL_SEARCH_MAX_LENGTH) {
    return fail(`Search must be ${String(REFERRAL_SEARCH_MAX_LENGTH)} characters or fewer`);
  }
  const digits = text.replace(/[\s-]/g, '');
  if (/^\d{10}$/.test(digits)) {
    const checked = checkNhsNumber(digits);
    return checked.ok
      ? { ok: true, search: { kind: 'nhs-number', nhsNumber: checked.value } }
      : fail('That NHS number fails its check digit: check each digit and search again');
  }
  const ubrn = parseUbrn(text);
  if (ubrn !== null) {
    return { ok: true, search: { kind: 'ubrn', ubrn } };
  }
  if (/^[\d\s-]+$/.test(text)) {
    return fail('Enter a 10-digit NHS number or a 12-digit UBRN, or search by name or referrer');
  }
  const nameKeys = [...new Set(text.split(/[\s,]+/).map(nameKey))].filter((k) => k !== '');
  return { ok: true, search: { kind: 'words', nameKeys, referrerText: text.toLowerCase() } };
}

/** A page of a list, counted from 1. */
export interface PageRequest {
  readonly page: number;
  readonly pageSize: number;
}

export const PAGE_NUMBER_MESSAGE = 'Page must be a whole number from 1, like 2';

/** The page asked for in the address; absent is the first. Not a whole number from 1 is refused. */
export function parsePageNumber(
  raw: string | null | undefined,
): { readonly ok: true; readonly page: number } | { readonly ok: false; readonly error: FieldError } {
  const text = (raw ?? '').trim();
  if (text === '') {
    return { ok: true, page: 1 };
  }
  // Digits only, and few enough to be a number: "1e3", "0x10" and "2.0" are not page numbers.
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) {
    return { ok: false, error: { field: 'page', message: PAGE_NUMBER_MESSAGE } };
  }
  return { ok: true, page: Number(text) };
}

/** How many pages `total` rows fill (at least one, so an empty list has page 1 of 1). */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** A page past the last shows the last: a list that shrank since the link was made still shows something. */
export function clampPage(page: number, total: number, pageSize: number): number {
  return Math.min(Math.max(1, page), pageCount(total, pageSize));
}

export type PageLink = { readonly number: number; readonly current: boolean } | { readonly ellipsis: true };

/**
 * The page numbers the pagination shows: the first, the last, and the current with its
 * neighbours, gaps as an ellipsis (the NHS design system's numbered pagination), so a long list
 * never makes a row of links wider than a phone: 1 … 4 5 6 … 20.
 */
export function pageLinks(current: number, pages: number): PageLink[] {
  const wanted = new Set([1, pages, current - 1, current, current + 1].filter((n) => n >= 1 && n <= pages));
  const numbers = [...wanted].sort((a, b) => a - b);
  const out: PageLink[] = [];
  let previous = 0;
  for (const n of numbers) {
    if (n - previous === 2) {
      out.push({ number: n - 1, current: false });
    } else if (n - previous > 2) {
      out.push({ ellipsis: true });
    }
    out.push({ number: n, current: n === current });
    previous = n;
  }
  return out;
}
