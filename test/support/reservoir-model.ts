import { addDays, type PlainDate } from '../../src/domain/calendar-date.ts';

/**
 * The pump as it really is, for the safety simulations: the volume in its reservoir, followed
 * hour by hour through the day from the programme physically set in it, independently of the
 * service's arithmetic (refill-arithmetic.ts, residual-history.ts), which these simulations
 * check. It knows nothing of plans, alarm dates or rounding: drug flows at the programmed rates
 * (a flex step's own rate in its own hours), patient boluses are taken when the patient takes
 * them, a refill happens at a time of day, a reprogramming at a time of day, a pause stops the
 * pump and empties it, and an explant takes it away. The low-reservoir alarm sounds at the moment
 * the volume falls to the alarm volume.
 */

/** A rate the pump runs at from `fromHour` (0–24, local) to the next step, in mL per hour. */
export interface RateStep {
  readonly fromHour: number;
  readonly mlPerHour: number;
}

/** A programme as the pump runs it: its steps over the day (the first starting at 0). */
export interface PhysicalProgramme {
  readonly steps: readonly RateStep[];
}

/** A day's events, each at an hour of the day (0–24), applied in time order. */
export type PumpEvent =
  | { readonly kind: 'refill'; readonly hour: number; readonly instilledMl: number }
  | { readonly kind: 'reprogram'; readonly hour: number; readonly programme: PhysicalProgramme }
  | { readonly kind: 'bolus'; readonly hour: number; readonly volumeMl: number }
  | { readonly kind: 'pause'; readonly hour: number }
  | { readonly kind: 'explant'; readonly hour: number };

export interface DayOutcome {
  /** The volume fell to the alarm volume during the day, at this hour (before any refill that day). */
  readonly alarmAtHour: number | null;
  /** The reservoir emptied during the day while drug was meant to flow (not a pause). */
  readonly ranDryAtHour: number | null;
  /** What came out at a refill that day: the residual drained before the new drug went in. */
  readonly drainedMl: number | null;
}

export class PhysicalPump {
  volumeMl: number;
  readonly alarmMl: number;
  programme: PhysicalProgramme;
  /** Stopped and emptied (for a scan or surgery) until the next refill. */
  paused = false;
  /** Taken out: nothing more happens. */
  removed = false;
  /** The day the alarm last sounded for the current fill, or null. */
  alarmDay: PlainDate | null = null;

  constructor(volumeMl: number, alarmMl: number, programme: PhysicalProgramme) {
    this.volumeMl = volumeMl;
    this.alarmMl = alarmMl;
    this.programme = programme;
  }

  /** The rate the programme runs at, in mL per hour, at an hour of the day. */
  private rateAt(hour: number): number {
    let rate = 0;
    for (const step of this.programme.steps) {
      if (step.fromHour <= hour) {
        rate = step.mlPerHour;
      }
    }
    return rate;
  }

  /** The hours in [from, to) at which the programme's rate changes, with from and to. */
  private cuts(from: number, to: number): number[] {
    const inside = this.programme.steps.map((s) => s.fromHour).filter((h) => h > from && h < to);
    return [from, ...inside, to];
  }

  /**
   * Runs from hour `from` to hour `to` of `day`: the volume falls at the programme's rate, and the
   * moments it reaches the alarm volume and empty are noted. Nothing flows while paused or removed.
   */
  private run(day: PlainDate, from: number, to: number, seen: { alarm: number | null; dry: number | null }) {
    if (this.paused || this.removed || to <= from) {
      return;
    }
    const cuts = this.cuts(from, to);
    for (let i = 0; i + 1 < cuts.length; i += 1) {
      const start = cuts[i]!;
      const end = cuts[i + 1]!;
      const rate = this.rateAt(start);
      const before = this.volumeMl;
      const after = before - rate * (end - start);
      if (this.alarmDay === null && before > this.alarmMl && after <= this.alarmMl && rate > 0) {
        this.alarmDay = day;
        seen.alarm ??= start + (before - this.alarmMl) / rate;
      }
      if (before > 0 && after <= 0 && rate > 0) {
        seen.dry ??= start + before / rate;
      }
      this.volumeMl = Math.max(0, after);
    }
  }

  /** One calendar day, its events applied at their hours. */
  day(day: PlainDate, events: readonly PumpEvent[]): DayOutcome {
    const seen = { alarm: null as number | null, dry: null as number | null };
    let drainedMl: number | null = null;
    let hour = 0;
    for (const e of [...events].sort((a, b) => a.hour - b.hour)) {
      this.run(day, hour, e.hour, seen);
      hour = e.hour;
      switch (e.kind) {
        case 'refill':
          // The residual is drained completely, then the new drug instilled [SSN-REFILL].
          drainedMl = this.volumeMl;
          this.volumeMl = e.instilledMl;
          this.paused = false;
          this.alarmDay = null;
          break;
        case 'reprogram':
          this.programme = e.programme;
          break;
        case 'bolus':
          if (!this.paused && !this.removed) {
            const before = this.volumeMl;
            this.volumeMl = Math.max(0, before - e.volumeMl);
            if (this.alarmDay === null && before > this.alarmMl && this.volumeMl <= this.alarmMl) {
              this.alarmDay = day;
              seen.alarm ??= e.hour;
            }
          }
          break;
        case 'pause':
          this.paused = true;
          this.volumeMl = 0;
          break;
        case 'explant':
          this.removed = true;
          break;
      }
    }
    this.run(day, hour, 24, seen);
    return { alarmAtHour: seen.alarm, ranDryAtHour: seen.dry, drainedMl };
  }
}

/** A simple programme: one rate all day, from a dose and a strength. */
export function simpleProgramme(doseMcgPerDay: number, concentrationMcgPerMl: number): PhysicalProgramme {
  return { steps: [{ fromHour: 0, mlPerHour: doseMcgPerDay / concentrationMcgPerMl / 24 }] };
}

/** Two steps: a night rate from 22:00 to 06:00, a day rate from 06:00 to 22:00 (mcg/h). */
export function nightDayProgramme(
  nightMcgPerHour: number,
  dayMcgPerHour: number,
  concentrationMcgPerMl: number,
): PhysicalProgramme {
  const ml = (mcgPerHour: number) => mcgPerHour / concentrationMcgPerMl;
  return {
    steps: [
      { fromHour: 0, mlPerHour: ml(nightMcgPerHour) },
      { fromHour: 6, mlPerHour: ml(dayMcgPerHour) },
      { fromHour: 22, mlPerHour: ml(nightMcgPerHour) },
    ],
  };
}

/** The days from `from` to `to`, inclusive. */
export function* days(from: PlainDate, to: PlainDate): Generator<PlainDate> {
  for (let d = from; d <= to; d = addDays(d, 1)) {
    yield d;
  }
}
