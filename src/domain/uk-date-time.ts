/**
 * The service's one style for dates and times people read, for pages (the ukDate, dateTime
 * filters, src/http/plugins/views.ts) and for the messages services and the domain write alike.
 */

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

/** The parts an Intl formatter gives, by type ("day", "hour" …). */
function partsOf(format: Intl.DateTimeFormat, d: Date): Record<string, string> {
  return Object.fromEntries(format.formatToParts(d).map((p) => [p.type, p.value]));
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
  const dateTime = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
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
    const p = partsOf(dateTime, d);
    return `${p.day ?? ''} ${p.month ?? ''} ${p.year ?? ''}, ${p.hour ?? ''}:${p.minute ?? ''}`;
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

const BY_ZONE = new Map<string, ReturnType<typeof dateFilters>>();

/** The formatters of one time zone, made once (the service has one zone; tests a few). */
function filtersFor(timeZone: string): ReturnType<typeof dateFilters> {
  let f = BY_ZONE.get(timeZone);
  if (!f) {
    f = dateFilters(timeZone);
    BY_ZONE.set(timeZone, f);
  }
  return f;
}

/** "7 March 2026, 14:05": an instant (ISO 8601) as a message to people says it, in the zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  return filtersFor(timeZone).ukDateTime(iso);
}

/** "7 March 2026, 14:05": a calendar date and a clock time (HH:MM) already local, in the same style. */
export function formatDateAndTime(date: string, time: string): string {
  return `${filtersFor('UTC').ukDate(date)}, ${time}`;
}
