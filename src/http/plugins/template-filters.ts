import nunjucks from 'nunjucks';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { ukDateTimeFormatter } from '../../domain/uk-date-time.ts';

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

/** Formatted values kept: a page shows a few, and the same records are viewed again. */
const KEPT_MAX = 5000;

/** A one-argument formatter whose results are kept per input (the formatting costs each page). */
function kept(format: (text: string) => string): (text: string) => string {
  const seen = new Map<string, string>();
  return (text) => {
    let out = seen.get(text);
    if (out === undefined) {
      out = format(text);
      if (seen.size >= KEPT_MAX) {
        seen.clear();
      }
      seen.set(text, out);
    }
    return out;
  };
}

/** Nothing for an empty value, so a page never prints "undefined" or "null". */
function text(value: unknown): string | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  if (typeof value === 'string') {
    return value;
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  return typeof value === 'number' ? String(value) : null;
}

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The service's one style for dates and times people read (NHS digital service manual, "Dates"):
 * dates as "7 March 2026", date-times as "7 March 2026, 14:05" on the 24-hour clock, in the
 * service's time zone. A plain calendar date (YYYY-MM-DD) is shown as it is, never moved by a
 * time zone; an instant is shown as the service's local date or time. Text that is neither is
 * shown unchanged, so a bad value is visible rather than hidden.
 */
export function dateFilters(timeZone: string): {
  readonly ukDate: (value: unknown) => string;
  readonly ukDateTime: (value: unknown) => string;
} {
  // One formatter each, made once: building an Intl formatter per call is costly.
  const date = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'long', year: 'numeric' });
  const dateUtc = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
  const dateTime = ukDateTimeFormatter(timeZone);
  const formatDate = kept((t) => {
    if (PLAIN_DATE.test(t)) {
      const d = new Date(`${t}T00:00:00Z`);
      return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== t ? t : dateUtc.format(d);
    }
    const d = new Date(t);
    return Number.isNaN(d.getTime()) ? t : date.format(d);
  });
  const formatDateTime = kept((t) => {
    const d = new Date(t);
    if (PLAIN_DATE.test(t) || Number.isNaN(d.getTime())) {
      return PLAIN_DATE.test(t) ? formatDate(t) : t;
    }
    return dateTime(d);
  });
  return {
    ukDate: (value) => {
      const t = text(value);
      return t === null ? '' : formatDate(t);
    },
    ukDateTime: (value) => {
      const t = text(value);
      return t === null ? '' : formatDateTime(t);
    },
  };
}

/** "943 476 5919": an NHS number as people read and type it (NHS CUI NUM-0001); else unchanged. */
export function nhsNumberFilter(value: unknown): string {
  const t = text(value);
  if (t === null) {
    return '';
  }
  return formatNhsNumber(t);
}
