/**
 * NHS number rules (standards.md 2.2): 10 digits; digits 1–9 weighted 10 down to 2, summed,
 * remainder mod 11; check digit = 11 − remainder, 11 becomes 0 and 10 means the number is
 * invalid. NHS CUI guidance: accept pasted numbers with spaces or dashes, display 3-3-4.
 */
export type NhsNumber = string & { readonly __brand: 'NhsNumber' };

export type NhsNumberProblem = 'empty' | 'not-ten-digits' | 'check-digit';

export function nhsNumberCheckDigit(firstNine: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    sum += Number(firstNine[i]) * (10 - i);
  }
  const check = 11 - (sum % 11);
  if (check === 11) {
    return 0;
  }
  return check === 10 ? undefined : check;
}

/** Strips the spaces and dashes people type or paste; anything else is kept so it fails. */
export function normaliseNhsNumber(input: string): string {
  return input.trim().replace(/[\s-]/g, '');
}

export function checkNhsNumber(
  input: string,
): { ok: true; value: NhsNumber } | { ok: false; problem: NhsNumberProblem } {
  const digits = normaliseNhsNumber(input);
  if (digits === '') {
    return { ok: false, problem: 'empty' };
  }
  if (!/^\d{10}$/.test(digits)) {
    return { ok: false, problem: 'not-ten-digits' };
  }
  const expected = nhsNumberCheckDigit(digits.slice(0, 9));
  if (expected === undefined || expected !== Number(digits[9])) {
    return { ok: false, problem: 'check-digit' };
  }
  return { ok: true, value: digits as NhsNumber };
}

export const NHS_NUMBER_MESSAGES: Readonly<Record<NhsNumberProblem, string>> = {
  empty: 'Enter the NHS number',
  'not-ten-digits': 'NHS number must be 10 digits',
  'check-digit': 'Enter a valid NHS number: this one fails its check digit, so a digit may be mistyped',
};

/** Display as 3-3-4 groups separated by spaces, on one line (NHS CUI NUM-0001). */
export function formatNhsNumber(nhsNumber: string): string {
  const d = normaliseNhsNumber(nhsNumber);
  return /^\d{10}$/.test(d) ? `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}` : nhsNumber;
}
