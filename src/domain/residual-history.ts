import { addDays, daysBetween, isoWeekday, type PlainDate } from './calendar-date.ts';
import { wholeDaysDown } from './refill-arithmetic.ts';

/**
 * The software's own expected residual (F2 through a programme history): what should be left
 * in the reservoir on a date, worked out from the fill and every programme the pump ran since,
 * each from the day the pump was programmed with it. It is compared with the programmer's
 * figure as typed (a data-entry check) and tells whether the pump ran dry before the refill
 * (clinical-reference.md 6, "Expected vs actual residual volume"; 8, withdrawal). Pure.
 */

/** A programme as the pump ran it, from the day the pump was programmed with it. */
export interface ProgrammedSegment {
  /** The day the pump was programmed with it; the fill's own programme runs from the fill day. */
  readonly from: PlainDate;
  /** Continuous volume a day for each weekday, Monday first (seven equal figures for a simple programme), mL. */
  readonly continuousMlByWeekday: readonly number[];
  /** Every permitted patient bolus taken, mL a day. */
  readonly bolusMlPerDay: number;
}

export interface ResidualHistoryInput {
  readonly fillMl: number;
  readonly filledOn: PlainDate;
  /** The day of the refill (the residual is read as the day starts, as F2 counts whole days). */
  readonly on: PlainDate;
  /** In the order the pump was programmed; the first is the programme the fill was made under. */
  readonly segments: readonly ProgrammedSegment[];
}

export interface ResidualHistory {
  /** Whole days charged: the fill day up to the day before `on`. */
  readonly elapsedDays: number;
  /** The fill less every day's continuous volume; below 0 once the pump would have run dry. */
  readonly continuousMl: number;
  /** The same with every permitted bolus taken every day: the least that can be left. */
  readonly withBolusesMl: number;
  /** The day the continuous programme emptied the reservoir, when it did so by `on`; else null. */
  readonly ranDryOn: PlainDate | null;
  /** The earliest day every permitted bolus would have emptied it, when by `on`; else null. */
  readonly ranDryWithBolusesOn: PlainDate | null;
}

/** Volumes are sums of binary fractions (0.3 mL a day): a residual this close to 0 is 0. */
const EMPTY_TOLERANCE_ML = 1e-9;

function continuousOn(segment: ProgrammedSegment, day: PlainDate): number {
  return segment.continuousMlByWeekday[isoWeekday(day) - 1] ?? 0;
}

function withBolusesOn(segment: ProgrammedSegment, day: PlainDate): number {
  return continuousOn(segment, day) + segment.bolusMlPerDay;
}

/**
 * The volume charged to each day from the fill day up to the day before `on`. Each day is
 * charged the volume of the programme in effect that day (the last one programmed on or before
 * it); on a day the pump was reprogrammed, the larger of the programme before and any set that
 * day, since the time of day is not recorded: the estimate never leaves more in the reservoir
 * than the pump did (as refillPlanWithChanges plans). The first segment runs from the fill day
 * whatever its date says, and segments dated before the fill count from the fill day.
 */
export function dailyCharges(
  filledOn: PlainDate,
  days: number,
  segments: readonly ProgrammedSegment[],
  rate: (segment: ProgrammedSegment, day: PlainDate) => number,
): number[] {
  const ordered = segments
    .map((segment, index) => ({
      segment,
      index,
      from: index === 0 || segment.from < filledOn ? filledOn : segment.from,
    }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.index - b.index));
  const charges: number[] = [];
  let next = 0;
  let current: ProgrammedSegment | null = null;
  for (let d = 0; d < days; d += 1) {
    const day = addDays(filledOn, d);
    const setToday: ProgrammedSegment[] = [];
    while (next < ordered.length && ordered[next]?.from === day) {
      setToday.push((ordered[next] as { segment: ProgrammedSegment }).segment);
      next += 1;
    }
    const running = current === null ? setToday : [current, ...setToday];
    charges.push(running.length === 0 ? 0 : Math.max(...running.map((s) => rate(s, day))));
    current = setToday.at(-1) ?? current;
  }
  return charges;
}

/**
 * What is left after the charged days, and the day the reservoir emptied when it did so within
 * them: the day holding the moment it reached 0, the volume running out evenly through each day,
 * so 20 mL at 0.5 mL a day empties as day 40 begins and the date is fill + 40 (rounded down like
 * the alarm date, so it is never later than the pump's). One pass, so the two always agree.
 */
function drain(
  fillMl: number,
  filledOn: PlainDate,
  charges: readonly number[],
): { readonly leftMl: number; readonly emptiedOn: PlainDate | null } {
  let left = fillMl;
  let emptiedOn: PlainDate | null = null;
  for (const [d, charge] of charges.entries()) {
    if (emptiedOn === null && left - charge <= EMPTY_TOLERANCE_ML) {
      const within = charge > 0 ? Math.min(1, Math.max(0, left) / charge) : 0;
      emptiedOn = addDays(filledOn, wholeDaysDown(d + within));
    }
    left -= charge;
  }
  return { leftMl: Math.abs(left) <= EMPTY_TOLERANCE_ML ? 0 : left, emptiedOn };
}

/** The software's expected residual on `on`, with and without every permitted bolus. */
export function residualFromHistory(input: ResidualHistoryInput): ResidualHistory {
  const elapsedDays = Math.max(0, daysBetween(input.filledOn, input.on));
  const continuous = drain(
    input.fillMl,
    input.filledOn,
    dailyCharges(input.filledOn, elapsedDays, input.segments, continuousOn),
  );
  const withBoluses = drain(
    input.fillMl,
    input.filledOn,
    dailyCharges(input.filledOn, elapsedDays, input.segments, withBolusesOn),
  );
  return {
    elapsedDays,
    continuousMl: continuous.leftMl,
    withBolusesMl: withBoluses.leftMl,
    ranDryOn: continuous.emptiedOn,
    ranDryWithBolusesOn: withBoluses.emptiedOn,
  };
}

/** One programme for every day of the week: a simple programme, or the CLI's single daily volume. */
export function sameEveryDay(
  from: PlainDate,
  continuousMlPerDay: number,
  bolusMlPerDay = 0,
): ProgrammedSegment {
  return {
    from,
    continuousMlByWeekday: [1, 2, 3, 4, 5, 6, 7].map(() => continuousMlPerDay),
    bolusMlPerDay,
  };
}
