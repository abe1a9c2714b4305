import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import type { ClinicalWarning, WarningCode } from './clinical-warning.ts';
import type { DiscrepancyRules } from './pump-rules.ts';
import {
  discrepancyThresholdMl,
  refillPlanWithChanges,
  residualBeyond,
  residualCheck,
  round2,
  type ResidualCheck,
} from './refill-arithmetic.ts';
import {
  alarmDateFromHistory,
  residualFromHistory,
  type ProgrammedSegment,
  type StoppedSpan,
} from './residual-history.ts';

/**
 * What a refill finds about the fill it completes, as a list of flags (ClinicalWarning codes
 * with a message) stored with the refill. Any flag means the refill is reviewed, in writing, by
 * someone other than the person who did it before it can be signed. Pure: the service, the API
 * and `itb calc residual` all call it.
 */

/** The fill a refill completes: the last signed refill of the pump and the programmes since. */
export interface CompletedFill {
  readonly fillMl: number;
  readonly filledOn: PlainDate;
  /** The low-reservoir alarm volume set at that fill; null when not known (no alarm check). */
  readonly alarmMl: number | null;
  /** In the order the pump was programmed, the fill's own programme first (residual-history.ts). */
  readonly segments: readonly ProgrammedSegment[];
  /**
   * Days the pump stood stopped with its drug inside since the fill (pausesSinceFill); none when
   * absent. A fill a pause emptied is not followed at all: `fill` is null.
   */
  readonly stopped?: readonly StoppedSpan[];
}

export interface RefillFindingsInput {
  /** The refill date. */
  readonly on: PlainDate;
  readonly reservoirMl: number;
  readonly withdrawnMl: number;
  /** The residual the programmer expected, as typed; null when not given. */
  readonly programmerExpectedMl: number | null;
  /** The fill this refill completes; null when none is recorded (the first refill after implant). */
  readonly fill: CompletedFill | null;
}

export interface RefillFindings {
  /** Withdrawn against the programmer's figure, or the software's when none was typed. */
  readonly check: ResidualCheck;
  /** The software's expected residual, continuous programme only, never below 0, to 0.01 mL; null with no fill. */
  readonly softwareExpectedMl: number | null;
  /** The same with every permitted bolus taken; null with no fill. */
  readonly softwareExpectedWithBolusesMl: number | null;
  /** The day the pump ran dry (or may have, every bolus taken); null when it did not or it is not known. */
  readonly ranDryOn: PlainDate | null;
  /** The low-reservoir alarm date from the fill; null when there is no fill or no alarm volume. */
  readonly alarmOn: PlainDate | null;
  /** Most urgent first: RAN_DRY, AFTER_ALARM, RESIDUAL_DISCREPANCY, EXPECTED_RESIDUAL_MISMATCH. */
  readonly flags: readonly ClinicalWarning[];
  readonly flagged: boolean;
}

/** The flags after which the patient must be checked for signs of withdrawal before signing. */
export const WITHDRAWAL_RISK_FLAGS: readonly WarningCode[] = ['RAN_DRY', 'AFTER_ALARM'];

export function needsWithdrawalCheck(flags: readonly Pick<ClinicalWarning, 'code'>[]): boolean {
  return flags.some((f) => WITHDRAWAL_RISK_FLAGS.includes(f.code));
}

const WITHDRAWAL_ADVICE = 'check the patient for signs of baclofen withdrawal';

const ml = (x: number): string => `${String(round2(x))} mL`;
const day = (d: PlainDate): string => formatPlainDate(d);

/**
 * The alarm date the fill gave, through every programme since (the worklist's own plan, F3),
 * later by each day the pump stood stopped: a stopped pump does not run down to its alarm.
 */
function alarmDateOf(fill: CompletedFill): PlainDate | null {
  if (fill.alarmMl === null || fill.alarmMl >= fill.fillMl || fill.segments.length === 0) {
    return null;
  }
  if (fill.stopped !== undefined && fill.stopped.length > 0) {
    return alarmDateFromHistory({
      fillMl: fill.fillMl,
      filledOn: fill.filledOn,
      alarmMl: fill.alarmMl,
      segments: fill.segments,
      stopped: fill.stopped,
    });
  }
  return refillPlanWithChanges({
    fillMl: fill.fillMl,
    filledOn: fill.filledOn,
    alarmMl: fill.alarmMl,
    segments: fill.segments.map((s, i) => ({
      from: i === 0 ? fill.filledOn : s.from,
      dailyVolumeMl: Math.max(...s.continuousMlByWeekday) + s.bolusMlPerDay,
    })),
    // Only the alarm date is used; the due date's settings do not change it.
    bufferDays: 0,
    maxIntervalDays: 366,
  }).alarmDate;
}

function discrepancyFlag(
  check: ResidualCheck,
  withdrawnMl: number,
  rules: DiscrepancyRules,
): ClinicalWarning[] {
  const beyond = residualBeyond(check, rules);
  if (!beyond.ml && !beyond.percent) {
    return [];
  }
  const percent = check.discrepancyPercent === null ? '' : ` (${String(check.discrepancyPercent)}%)`;
  const why = [
    beyond.ml ? `more than ${ml(check.thresholdMl)}` : null,
    beyond.percent ? `more than ${String(rules.percentThreshold)}% of the expected volume` : null,
  ]
    .filter((x) => x !== null)
    .join(' and ');
  return [
    {
      code: 'RESIDUAL_DISCREPANCY',
      field: 'withdrawnMl',
      message: `${ml(withdrawnMl)} withdrawn against ${ml(check.expectedMl)} expected: ${String(check.discrepancyMl)} mL${percent}, ${why}. A discrepancy can mean a pump, catheter or refill problem, including a pocket fill`,
    },
  ];
}

/**
 * RAN_DRY. The continuous programme emptying the reservoir before the refill gives the day it
 * ran dry. If only every permitted bolus would have emptied it, the pump may have run dry: the
 * earliest such day is given. A programmer showing 0 mL left when the software expected more
 * says the pump's own count (the boluses really taken) reached empty: flagged with no date, as
 * the programme history cannot say when. The volume withdrawn never clears the flag: drug drawn
 * back from a pump that stopped may be the catheter's or the pocket's.
 */
function ranDryFlag(
  history: ReturnType<typeof residualFromHistory>,
  programmerExpectedMl: number | null,
  softwareExpectedMl: number,
  on: PlainDate,
): { flags: ClinicalWarning[]; ranDryOn: PlainDate | null } {
  if (history.ranDryOn !== null) {
    const shortMl = round2(-history.continuousMl);
    const short = shortMl > 0 ? ` (the programmes needed ${ml(shortMl)} more than was filled)` : '';
    return {
      ranDryOn: history.ranDryOn,
      flags: [
        {
          code: 'RAN_DRY',
          message: `The pump ran dry on ${day(history.ranDryOn)}: at the programmed rates the fill ran out before this refill on ${day(on)}${short}; ${WITHDRAWAL_ADVICE}`,
        },
      ],
    };
  }
  if (history.ranDryWithBolusesOn !== null) {
    return {
      ranDryOn: history.ranDryWithBolusesOn,
      flags: [
        {
          code: 'RAN_DRY',
          message: `The pump may have run dry on ${day(history.ranDryWithBolusesOn)} if every permitted bolus was taken (the continuous programme alone leaves ${ml(history.continuousMl)}); check the pump's bolus log and ${WITHDRAWAL_ADVICE}`,
        },
      ],
    };
  }
  if (programmerExpectedMl === 0 && softwareExpectedMl > 0) {
    return {
      ranDryOn: null,
      flags: [
        {
          code: 'RAN_DRY',
          field: 'expectedResidualMl',
          message: `The programmer's expected residual is 0 mL while the software expected ${ml(softwareExpectedMl)}: the pump may have run dry before this refill, on a day the programme history cannot give; ${WITHDRAWAL_ADVICE}`,
        },
      ],
    };
  }
  return { ranDryOn: null, flags: [] };
}

/** Everything a refill finds, in one pass. */
export function refillFindings(input: RefillFindingsInput, rules: DiscrepancyRules): RefillFindings {
  const history = input.fill
    ? residualFromHistory({
        fillMl: input.fill.fillMl,
        filledOn: input.fill.filledOn,
        on: input.on,
        segments: input.fill.segments,
        stopped: input.fill.stopped ?? [],
      })
    : null;
  // The volume physically left: a reservoir that ran dry holds 0, not a negative volume.
  const softwareExpectedMl = history ? round2(Math.max(0, history.continuousMl)) : null;
  const softwareExpectedWithBolusesMl = history ? round2(Math.max(0, history.withBolusesMl)) : null;
  const expectedMl = input.programmerExpectedMl ?? softwareExpectedMl;
  if (expectedMl === null) {
    throw new RangeError('refillFindings needs the programmer’s expected residual or a fill to work it out');
  }
  const check = residualCheck(
    { expectedMl, withdrawnMl: input.withdrawnMl, reservoirMl: input.reservoirMl },
    rules,
  );
  const dry =
    history && softwareExpectedMl !== null
      ? ranDryFlag(history, input.programmerExpectedMl, softwareExpectedMl, input.on)
      : { flags: [], ranDryOn: null };
  const alarmOn = input.fill ? alarmDateOf(input.fill) : null;
  const afterAlarm: ClinicalWarning[] =
    alarmOn !== null && input.on >= alarmOn
      ? [
          {
            code: 'AFTER_ALARM',
            field: 'performedOn',
            message: `Refilled on ${day(input.on)}, on or after the low-reservoir alarm date of the last fill, ${day(alarmOn)}: the pump may have been alarming and running low; ${WITHDRAWAL_ADVICE}`,
          },
        ]
      : [];
  const thresholdMl = discrepancyThresholdMl(input.reservoirMl, rules);
  const stoppedDays = history?.stoppedDays ?? 0;
  const since =
    stoppedDays > 0
      ? `the programmes since, with no delivery on the ${String(stoppedDays)} ${stoppedDays === 1 ? 'day' : 'days'} the pump was stopped`
      : 'the programmes since';
  // The programmer's figure counts the boluses actually taken, which the software cannot know:
  // anything between the software's figure with every bolus taken and with none is consistent.
  // Beyond that band by more than the mL threshold, or by more than the percentage threshold of
  // the software's figure, it is flagged as a data-entry check.
  const offBy =
    input.programmerExpectedMl === null || softwareExpectedMl === null
      ? 0
      : round2(
          Math.max(
            0,
            input.programmerExpectedMl - softwareExpectedMl,
            (softwareExpectedWithBolusesMl ?? softwareExpectedMl) - input.programmerExpectedMl,
          ),
        );
  const offByPercent =
    softwareExpectedMl !== null && softwareExpectedMl > 0 ? round2((offBy / softwareExpectedMl) * 100) : 0;
  const mismatch: ClinicalWarning[] =
    input.programmerExpectedMl !== null &&
    softwareExpectedMl !== null &&
    (offBy > thresholdMl || offByPercent > rules.percentThreshold)
      ? [
          {
            code: 'EXPECTED_RESIDUAL_MISMATCH',
            field: 'expectedResidualMl',
            message: `The programmer's expected residual as typed, ${ml(input.programmerExpectedMl)}, differs from the software's, ${ml(softwareExpectedMl)} (from the fill on ${day(input.fill?.filledOn ?? input.on)} and ${since}), by ${ml(offBy)} (${String(offByPercent)} %), more than ${ml(thresholdMl)} or ${String(rules.percentThreshold)} %: check the figure typed against the programmer and the programme history`,
          },
        ]
      : [];
  const flags = [
    ...dry.flags,
    ...afterAlarm,
    ...discrepancyFlag(check, input.withdrawnMl, rules),
    ...mismatch,
  ];
  return {
    check,
    softwareExpectedMl,
    softwareExpectedWithBolusesMl,
    ranDryOn: dry.ranDryOn,
    alarmOn,
    flags,
    flagged: flags.length > 0,
  };
}
