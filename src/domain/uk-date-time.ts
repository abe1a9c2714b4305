/**
 * The service's one style for an instant people read (NHS digital service manual, "Dates"):
 * "7 March 2026, 14:05", on the 24-hour clock, in the service's time zone. Pages reach it
 * through the `dateTime` filter; messages written by services (a clash, an expired token) use
 * it directly, so no message carries a raw ISO timestamp.
 */
export function ukDateTimeFormatter(timeZone: string): (instant: Date) => string {
  // Made once per time zone and reused: building an Intl formatter per call is costly.
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (instant) => {
    const p = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
    return `${p.day ?? ''} ${p.month ?? ''} ${p.year ?? ''}, ${p.hour ?? ''}:${p.minute ?? ''}`;
  };
}

/** An ISO instant as "7 March 2026, 14:05" in the zone; text that is not an instant unchanged. */
export function ukDateTimeText(iso: string, timeZone: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : ukDateTimeFormatter(timeZone)(d);
}
