import type { PlainDate } from './calendar-date.ts';
import type { DeliverySegment } from './refill-arithmetic.ts';
import type { StoppedSpan } from './residual-history.ts';

/**
 * A fill's plan segments with the days a pump stood stopped (paused for an MRI scan or surgery
 * with its drug inside): no delivery from each stop's first day to the day it restarted, then the
 * programme in effect that day, including any change programmed while it stood. Given to
 * refillPlanWithChanges, which charges each change day at its higher rate, so the pause day and
 * the restart day still count in full and the alarm date never runs later than the pump. Pure.
 */
export function segmentsWithStops(
  segments: readonly DeliverySegment[],
  stopped: readonly StoppedSpan[],
): DeliverySegment[] {
  const ordered = [...segments].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const rateOn = (day: PlainDate): number => {
    let rate = ordered[0]?.dailyVolumeMl ?? 0;
    for (const s of ordered) {
      if (s.from <= day) {
        rate = s.dailyVolumeMl;
      }
    }
    return rate;
  };
  const inStop = (day: PlainDate) => stopped.some((s) => day >= s.from && day < s.until);
  const out: DeliverySegment[] = ordered.filter((s) => !inStop(s.from));
  for (const stop of stopped) {
    out.push({ from: stop.from, dailyVolumeMl: 0 });
    out.push({ from: stop.until, dailyVolumeMl: rateOn(stop.until) });
  }
  // Stable: on a day with a stop and a change, the stop's own entries keep their order.
  return out.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}
