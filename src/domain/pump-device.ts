import { addDays, addMonths, type PlainDate } from './calendar-date.ts';

/**
 * Pump models and their life-cycle numbers (clinical-reference.md 4). The list is configuration:
 * a service adds a model here with its sources; every number has a citation or is marked GAP.
 */
export type MriRule = 'interrogate-after' | 'empty-before';

export interface PumpModel {
  readonly id: string;
  readonly manufacturer: string;
  readonly name: string;
  readonly reservoirSizesMl: readonly number[];
  /**
   * The pump's low-reservoir alarm volume when the manufacturer publishes one. SynchroMed II's
   * was not found in any source (GAP): null means it must be read off the programmer printout
   * for every pump, never assumed (clinical-reference.md 4, "Low-reservoir alarm volume").
   */
  readonly defaultAlarmMl: number | null;
  /** Months from implant to the pump's end of service (SynchroMed II shuts down at 7 years [MDT-REPL]). */
  readonly serviceLifeMonths: number;
  /** Plan the replacement this many months before end of service (6 [MDT-REPL-UK]). */
  readonly replacementLeadMonths: number;
  /** Days the pump keeps running after its elective replacement indicator (90 [MDT-REPL]); null if none. */
  readonly eriRunDays: number | null;
  readonly mriRule: MriRule;
  readonly mriAdvice: string;
  /**
   * The smallest and largest daily volume (mL/day) the pump can be programmed to deliver; null
   * when no figure was found, and the prescription is then checked against the reservoir only.
   * GAP: not in the retrieved sources; to be confirmed against the manufacturer's technical
   * manual (clinical-reference.md 4, "Programmable delivery range").
   */
  readonly deliveryMlPerDay: { readonly min: number; readonly max: number } | null;
}

export const PUMP_MODELS: readonly PumpModel[] = [
  {
    id: 'synchromed-ii',
    manufacturer: 'Medtronic',
    name: 'SynchroMed II (8637)',
    reservoirSizesMl: [20, 40],
    defaultAlarmMl: null,
    serviceLifeMonths: 84,
    replacementLeadMonths: 6,
    eriRunDays: 90,
    mriRule: 'interrogate-after',
    // [MDT-MRI], [MDT-SM2], [TGA-MRI]: the rotor stops in the magnet and may not restart by itself.
    mriAdvice:
      'The pump stops delivering during MRI. Before the scan, decide whether the patient can go without drug and arrange cover if not. Interrogate the pump after every scan: it may not restart until it is interrogated.',
    // GAP: 0.048–24 mL/day is the manufacturer's specification as commonly quoted, not found in
    // the retrieved sources; confirm against the SynchroMed II technical manual.
    deliveryMlPerDay: { min: 0.048, max: 24 },
  },
  {
    id: 'prometra-ii',
    manufacturer: 'Flowonix',
    name: 'Prometra II',
    reservoirSizesMl: [20, 40],
    defaultAlarmMl: null,
    // About 10 years' battery; the source snippet was truncated (GAP) [PROM-NEWS].
    serviceLifeMonths: 120,
    replacementLeadMonths: 6,
    eriRunDays: null,
    mriRule: 'empty-before',
    // [PROM-MRI], [SEEK-MRI]: the field can open the valves and dump the reservoir (overdose).
    mriAdvice:
      'Empty the pump before any MRI: the magnetic field can open its valves and release the whole reservoir (overdose). Scan only at 1.5 T within the gradient limits, then refill.',
    // GAP: no delivery range found for Prometra II; checked against the reservoir only.
    deliveryMlPerDay: null,
  },
];

export function findPumpModel(id: string): PumpModel | undefined {
  return PUMP_MODELS.find((m) => m.id === id);
}

export interface PumpLifeDates {
  /** Implant + service life: the pump stops by this date at the latest. */
  readonly endOfService: PlainDate;
  /**
   * When the replacement should be done by: end of service − lead time, or, once the
   * replacement indicator has gone off, the ERI stop date − the replacement margin when that is
   * earlier, so the replacement is never planned for the day the pump stops.
   */
  readonly replaceBy: PlainDate;
  /** ERI + run days when the indicator has gone off; the pump stops by then if not replaced. */
  readonly stopsAfterEri: PlainDate | null;
}

/**
 * Worked example 19: implanted 2020-01-15 → end 2027-01-15, replace by 2026-07-15; ERI 2025-03-03
 * → stops by 2025-06-01, replace by 2025-05-02 (30 days' margin).
 */
export function pumpLifeDates(
  model: PumpModel,
  implantedOn: PlainDate,
  eriOn: PlainDate | null,
  replacementMarginDays: number,
): PumpLifeDates {
  const endOfService = addMonths(implantedOn, model.serviceLifeMonths);
  const eriStop = eriOn !== null && model.eriRunDays !== null ? addDays(eriOn, model.eriRunDays) : null;
  const planned = addMonths(endOfService, -model.replacementLeadMonths);
  // After ERI the stop date is the hard limit: replace a margin before it (pump-rules.ts
  // replacementMarginDays), whichever of the two dates comes first.
  const afterEri = eriStop === null ? null : addDays(eriStop, -replacementMarginDays);
  return {
    endOfService,
    replaceBy: afterEri !== null && afterEri < planned ? afterEri : planned,
    stopsAfterEri: eriStop,
  };
}
