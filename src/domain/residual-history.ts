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

/**
 * Days the pump stood stopped with its drug inside (paused for an MRI scan or surgery without
 * being emptied): from `from` up to the day before `until`, whole days as F2 counts them, so a
 * pause on 10 March resumed on 11 March is one day with no delivery.
 */
export interface StoppedSpan {
  readonly from: PlainDate;
  /** The day delivery started again (the resume date, or the refill date while still paused). */
  readonly until: PlainDate;
}

export interface ResidualHistoryInput {
  readonly fillMl: number;
  readonly filledOn: PlainDate;
  /** The day of the refill (the residual is read as the day starts, as F2 counts whole days). */
  readonly on: PlainDate;
  /** In the order the pump was programmed; the first is the programme the fill was made under. */
  readonly segments: readonly ProgrammedSegment[];
  /** Days with no delivery; none when absent. They may overlap or reach outside the fill. */
  readonly stopped?: readonly StoppedSpan[];
}

export interface ResidualHistory {
  /** Whole days charged: the fill day up to the day before `on`. */
  readonly elapsedDays: number;
  /** Of those, the days the pump stood stopped and delivered nothing. */
  readonly stoppedDays: number;
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

/** Whether the pump delivered nothing on `day`. */
export function stoppedOn(day: PlainDate, stopped: readonly StoppedSpan[]): boolean {
  return stopped.some((s) => s.from <= day && day < s.until);
}

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
 * whatever its date says, and segments dated before the fill count from the fill day. A stopped
 * day is charged nothing; a programme set while the pump was stopped runs once it restarts.
 */
export function dailyCharges(
  filledOn: PlainDate,
  days: number,
  segments: readonly ProgrammedSegment[],
  rate: (segment: ProgrammedSegment, day: PlainDate) => number,
  stopped: readonly StoppedSpan[] = [],
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
    charges.push(
      running.length === 0 || stoppedOn(day, stopped) ? 0 : Math.max(...running.map((s) => rate(s, day))),
    );
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

/**
 * The software's expected residual on `on`, with and without every permitted bolus. A stopped
 * day delivers nothing, so a stop never leaves less in the reservoir than running would.
 */
export function residualFromHistory(input: ResidualHistoryInput): ResidualHistory {
  const elapsedDays = Math.max(0, daysBetween(input.filledOn, input.on));
  const stopped = input.stopped ?? [];
  const continuous = drain(
    input.fillMl,
    input.filledOn,
    dailyCharges(input.filledOn, elapsedDays, input.segments, continuousOn, stopped),
  );
  const withBoluses = drain(
    input.fillMl,
    input.filledOn,
    dailyCharges(input.filledOn, elapsedDays, input.segments, withBolusesOn, stopped),
  );
  return {
    elapsedDays,
    stoppedDays: stoppedDaysWithin(input.filledOn, elapsedDays, stopped),
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

/** How many of the `days` from the fill day the pump stood stopped. */
function stoppedDaysWithin(filledOn: PlainDate, days: number, stopped: readonly StoppedSpan[]): number {
  let n = 0;
  for (let d = 0; d < days && stopped.length > 0; d += 1) {
    if (stoppedOn(addDays(filledOn, d), stopped)) {
      n += 1;
    }
  }
  return n;
}

/** The volume a day as the plan counts it: the week's largest continuous volume with every bolus. */
function planningOn(segment: ProgrammedSegment): number {
  return Math.max(...segment.continuousMlByWeekday) + segment.bolusMlPerDay;
}

/**
 * The low-reservoir alarm date of a fill through its programmes, with no delivery on stopped
 * days: the day the reservoir falls to `alarmMl` at the plan's volumes (planningOn, each
 * reprogramming day at the larger rate), as refillPlanWithChanges (F3) dates it when nothing
 * stopped; every stopped day before it puts it a day later. Null when the alarm volume is not
 * below the fill, or no programme delivers anything.
 */
export function alarmDateFromHistory(input: {
  readonly fillMl: number;
  readonly filledOn: PlainDate;
  readonly alarmMl: number;
  readonly segments: readonly ProgrammedSegment[];
  readonly stopped: readonly StoppedSpan[];
}): PlainDate | null {
  const aboveMl = input.fillMl - input.alarmMl;
  const slowest = Math.min(...input.segments.map(planningOn));
  if (aboveMl <= 0 || input.segments.length === 0 || !(slowest > 0)) {
    return null;
  }
  // Every running day is charged at least the slowest volume, so the alarm falls within the
  // days that volume needs plus every stopped day.
  const stoppedDays = input.stopped.reduce(
    (n, s) => n + Math.max(0, daysBetween(s.from < input.filledOn ? input.filledOn : s.from, s.until)),
    0,
  );
  const days = Math.ceil(aboveMl / slowest) + stoppedDays + 1;
  return drain(
    aboveMl,
    input.filledOn,
    dailyCharges(input.filledOn, days, input.segments, planningOn, input.stopped),
  ).emptiedOn;
}

/** A pause as the expected residual reads it (pump_pauses). */
export interface PauseRecord {
  readonly pausedOn: PlainDate;
  /** Null while the pause is open. */
  readonly resumedOn: PlainDate | null;
  /** The reservoir was emptied (a Prometra before an MRI scan), not only stopped with its drug inside. */
  readonly emptied: boolean;
}

export interface PausesSinceFill {
  /** The first pause after the fill, by the refill, that emptied the reservoir; null when none did. */
  readonly emptiedOn: PlainDate | null;
  /** The days the pump stood stopped between the fill and the refill, each clipped to them. */
  readonly stopped: readonly StoppedSpan[];
}

/**
 * What the pauses say about the fill a refill completes. A pause that emptied the reservoir
 * after the fill ended that fill there: the software has no figure to give (0 mL is expected,
 * and the programmer's figure is compared with what came out). Otherwise each pause stopped the
 * pump from its date up to its resume date (or the refill date, if still paused), and the fill
 * is followed through the days it ran. A pause dated on the fill day is taken to have come
 * before the fill (a pump emptied for a scan and refilled after it that day starts the new fill
 * full), and one on the refill day before the refill, as the plan after a pause takes them
 * (planSurvivesPause). Pure.
 */
export function pausesSinceFill(
  pauses: readonly PauseRecord[],
  filledOn: PlainDate,
  on: PlainDate,
): PausesSinceFill {
  const emptied = pauses
    .filter((p) => p.emptied && p.pausedOn > filledOn && p.pausedOn <= on)
    .map((p) => p.pausedOn)
    .sort();
  const stopped = pauses
    .map((p) => {
      const end = p.resumedOn ?? on;
      return {
        from: p.pausedOn < filledOn ? filledOn : p.pausedOn,
        until: end > on ? on : end,
      };
    })
    .filter((s) => s.from < s.until)
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return { emptiedOn: emptied[0] ?? null, stopped };
}
