import nunjucks from 'nunjucks';
import { formatNhsNumber } from '../../domain/nhs-number.ts';

// The one formatter of dates and date-times people read lives in the domain, so services' and
// the domain's messages use it too; the pages' filters are made from it.
export { dateFilters } from '../../domain/uk-date-time.ts';

/**
 * Nunjucks' `trim`, which the NHS.UK macros apply to most of what they render, with the same
 * result: String.prototype.trim removes exactly what the built-in's /^\s*|\s*$/g does (white
 * space and line terminators, ECMA-262), and the result stays marked safe when its input was.
 * The built-in's regular expression rescans every run of white space in the macros' output, a
 * real share of each page's template time (docs/performance.md).
 */
export function trimFilter(value: unknown): unknown {
  const SafeString = nunjucks.runtime.SafeString;
  if (value instanceof SafeString) {
    return new SafeString(value.toString().trim());
  }
  return typeof value === 'string' ? value.trim() : value;
}

/** Nothing for an empty value, so a page never prints "undefined" or "null". */
function text(value: unknown): string | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

/** "943 476 5919": an NHS number as people read and type it (NHS CUI NUM-0001); else unchanged. */
export function nhsNumberFilter(value: unknown): string {
  const t = text(value);
  if (t === null) {
    return '';
  }
  return formatNhsNumber(t);
}
