import { z } from 'zod';
import { formatPlainDate, parsePlainDate, type PlainDate } from './calendar-date.ts';
import type { FieldError } from './field-error.ts';
import { formatDateTime } from './uk-date-time.ts';

/** Bolus times: entered as local wall time, stored as UTC instants, shown in the one date-time style. */

// ---------------------------------------------------------------------------------------------
// Dates and times: entered as local wall time, stored as UTC instants

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

interface WallTime {
  readonly date: PlainDate;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** "GMT", "BST" for Europe/London. */
  readonly zoneName: string;
}

/** The wall-clock time of an instant (milliseconds since the epoch) in a time zone. */
function wallTime(ms: number, timeZone: string): WallTime {
  const parts = Object.fromEntries(
    partsFormatter(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const num = (k: string) => Number(parts[k] ?? 0);
  return {
    date: `${parts.year ?? ''}-${parts.month ?? ''}-${parts.day ?? ''}` as PlainDate,
    hour: num('hour'),
    minute: num('minute'),
    second: num('second'),
    zoneName: parts.timeZoneName ?? '',
  };
}

/** The zone's offset from UTC at an instant, in minutes (60 for BST). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  const [y, m, d] = w.date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

export const MS_PER_HOUR = 3_600_000;

/**
 * "25 October 2026, 10:00": an instant as people in the service read it, in the service's one
 * date-time style (uk-date-time.ts, as the pages' dateTime filter shows it).
 */
export function formatInstant(iso: string, timeZone: string): string {
  return formatDateTime(iso, timeZone);
}

/** The local date and time (HH:MM) of an instant, to fill a form's boxes again. */
export function localDateAndTime(iso: string, timeZone: string): { date: PlainDate; time: string } {
  const w = wallTime(Date.parse(iso), timeZone);
  return { date: w.date, time: `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}` };
}

function signedOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * A local date and time ("HH:MM", optionally with its UTC offset, "01:30+01:00") as a UTC
 * instant. A time skipped when the clocks go forward does not exist and is refused; a time
 * that happens twice when they go back is refused unless the offset says which, because
 * guessing would move the bolus an hour and break the 24-hour rule one way or the other.
 */
export function instantFromLocal(
  field: string,
  label: string,
  date: PlainDate,
  time: string,
  timeZone: string,
): { readonly instant: string } | { readonly error: FieldError } {
  const m = /^(\d{1,2})[:.](\d{2})\s*(?:([+-])(\d{2}):?(\d{2}))?$/.exec(time.trim());
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2]);
  if (!m || hour > 23 || minute > 59) {
    return {
      error: { field, message: `${label} must be a time on the 24-hour clock, like 09:30 or 14:05` },
    };
  }
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, hour, minute);
  const hhmm = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  const when = `${hhmm} on ${formatPlainDate(date)}`;
  // Every offset the zone uses around that day; keep those that give back the same wall time.
  const offsets = new Set([-36, -12, 0, 12, 36].map((h) => offsetMinutes(wall + h * MS_PER_HOUR, timeZone)));
  const candidates = [...offsets]
    .map((o) => wall - o * 60_000)
    .filter((ms) => {
      const w = wallTime(ms, timeZone);
      return w.date === date && w.hour === hour && w.minute === minute;
    })
    .sort((a, b) => a - b);
  if (m[3] !== undefined) {
    const given = (m[3] === '-' ? -1 : 1) * (Number(m[4]) * 60 + Number(m[5]));
    const match = candidates.find((ms) => offsetMinutes(ms, timeZone) === given);
    return match === undefined
      ? {
          error: {
            field,
            message: `${label}: ${hhmm}${signedOffset(given)} is not a time that happens on ${formatPlainDate(date)} here`,
          },
        }
      : { instant: new Date(match).toISOString() };
  }
  const [first, second] = candidates;
  if (first === undefined) {
    return {
      error: {
        field,
        message: `${label}: ${when} does not exist because the clocks go forward; check the time`,
      },
    };
  }
  if (second !== undefined) {
    const a = `${hhmm}${signedOffset(offsetMinutes(first, timeZone))}`;
    const b = `${hhmm}${signedOffset(offsetMinutes(second, timeZone))}`;
    return {
      error: {
        field,
        message: `${label}: ${when} happens twice because the clocks go back; add the offset: ${a} for the first (${wallTime(first, timeZone).zoneName}) or ${b} for the second (${wallTime(second, timeZone).zoneName})`,
      },
    };
  }
  return { instant: new Date(first).toISOString() };
}

/** ISO 8601 date and time with Z or an explicit offset: an instant, never a bare local time. */
const INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The instant as UTC ISO text (2026-10-25T09:30:00.000Z), or null when it is not one. */
export function parseInstant(text: string): string | null {
  const m = INSTANT.exec(text.trim());
  if (!m || parsePlainDate(m[1] ?? '') === null) {
    return null;
  }
  const ms = Date.parse(text.trim());
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export const instantField = (label: string) =>
  z
    .string({ error: `Enter the ${label.toLowerCase()}` })
    .trim()
    .min(1, { error: `Enter the ${label.toLowerCase()}` })
    .refine((v) => parseInstant(v) !== null, {
      error: `${label} must be a date and time with its UTC offset, like 2026-10-25T09:30:00Z or 2026-10-24T10:00:00+01:00`,
    })
    .transform((v) => parseInstant(v) ?? v);
