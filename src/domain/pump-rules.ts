/**
 * Every clinical number the pump-therapy arithmetic and its checks use, with its default and
 * source (docs/clinical-reference.md, sections 3 to 7; source keys in brackets). They are service
 * configuration: config.ts reads overrides from the environment (README, "Configuration"), refuses
 * values outside the bounds below at start-up, and passes the result in, so nothing in the domain
 * holds a clinical constant of its own.
 *
 * Most numbers come in two bands. A **hard limit** is refused with no override: a value beyond it
 * is a slip (a unit, a decimal point), never a prescription. A **usual range** is what the sources
 * report: a value outside it is accepted only with a written reason recorded with it, and the CLI
 * and the API report it as a warning (clinical-warning.ts).
 */
export interface PumpRules {
  /** Refill is due this many days before the low-reservoir alarm date. 7 days: LOCAL [GIL-RF2], [SVHM], [MDT-ALARM]. */
  readonly refillBufferDays: number;
  /**
   * Longest time a fill may stay in the pump: 180 days, the most any source allows [STAB180]; a
   * service may set a shorter one for its drug's labelling, never a longer one.
   */
  readonly stabilityDays: number;
  /** Residual discrepancy thresholds, either direction, strictly "more than" [MAINO], stricter than [ASRA]. */
  readonly discrepancy: DiscrepancyRules;
  readonly titration: TitrationRules;
  /** A test-dose effect lasting longer than this gives a starting dose equal to the test dose [LABEL-SKY], [CHEO]. */
  readonly startDoseLongEffectHours: number;
  /** Hard limits on a daily dose and a strength: beyond them a value is refused outright. */
  readonly hardLimits: HardLimits;
  /** The usual range of daily doses: outside it a dose needs a recorded reason. */
  readonly usualRange: UsualRange;
  /** The strengths a pump may be filled with. */
  readonly concentrations: ConcentrationRules;
  /** Limits on a programme's boluses and flex steps. */
  readonly programme: ProgrammeLimits;
  /** Below this age on the day of a change, the paediatric titration limit applies: 18, the age of majority in the UK. */
  readonly childUnderYears: number;
  /** Post-implant reviews (2 and 6 weeks, 3, 6, 12 months, then yearly; LOCAL [BRIS-RF], [MEDSCAPE-2]). */
  readonly reviewSchedule: ReviewScheduleRules;
  /**
   * A review may be recorded as held on a day up to this many days back (never in the future):
   * 30, LOCAL (no source gives a figure: GAP). Long enough to enter a review after the clinic
   * letter is typed or a locum's clinic is written up; short enough that a forgotten review
   * from months ago cannot quietly move the schedule on, where the next review would then be
   * missed (hazard H-070). An older review is recorded with an event note instead.
   */
  readonly reviewRecordDaysBack: number;
  /** A refill, review or replacement due within this many days counts as "due this week". */
  readonly dueSoonDays: number;
  /**
   * After the elective replacement indicator, replace the pump this many days before it stops
   * (it stops 90 days after ERI [MDT-REPL]): 30 days, LOCAL, to leave time for a theatre slot
   * and a cancelled list.
   */
  readonly replacementMarginDays: number;
  /**
   * A pump may be paused (emptied or stopped for an MRI scan or surgery) for at most this many
   * days: 90, LOCAL (no source gives a figure: GAP). The patient has no intrathecal drug
   * meanwhile and withdrawal starts within 1–3 days without cover [CONS], [FPN], so a pause is
   * planned with a date to resume, and one left past it is escalated.
   */
  readonly maxPauseDays: number;
  /**
   * A pregnant patient's refill counts as falling around the delivery when its due date or alarm
   * date is within this many days of the expected date of delivery, and is then booked before
   * that window: 14, LOCAL (no source covers ITB in pregnancy: GAP), chosen to leave room for a
   * delivery earlier or later than expected; withdrawal starts within 1–3 days of running dry
   * [CONS], [FPN].
   */
  readonly deliveryRefillWindowDays: number;
  /**
   * Hours after an MRI scan added before the post-scan check's day is taken: the check is due by
   * the end of that calendar day in the service's time zone (mri-input.ts mriCheckDueAt).
   * Default 0: the end of the scan's own day. LOCAL: a SynchroMed pump may stay stopped until it
   * is interrogated [TGA-MRI] and may take 2–24 h to recover [MDT-MRI], and withdrawal can start
   * within 1–3 days [CONS], [FPN], so the check is the same day; no source gives a deadline (GAP).
   */
  readonly mriCheckDueHours: number;
  readonly testDose: TestDoseRules;
}

/** The screening protocol (clinical-reference.md 3). */
export interface TestDoseRules {
  /**
   * Bolus doses in order: 50, 75, 100 mcg [LABEL-SUM], [LABEL-SKY], [DRUGS]. The top rung is also
   * the hard limit for a test bolus: a patient with no response to 100 mcg is not implanted
   * [LABEL-SUM], so no bolus above it is ever given (testBolusMaxMcg).
   */
  readonly ladderMcg: readonly number[];
  /** At most one bolus a day, 24 h apart [LABEL-SUM], [BACINFO]. */
  readonly minIntervalHours: number;
  /** The 50 mcg/mL screening strength [LABEL-SUM]. */
  readonly screeningConcentrationMcgPerMl: number;
  /**
   * Observation times after each bolus, hours: baseline, 2, 4, 6, 8 (LOCAL; peak 2–4 h, gone by
   * 8 h [GIL-TD]); each within 0 to MAX_OBSERVATION_HOURS.
   */
  readonly observationHours: readonly number[];
  /**
   * A positive response: the mean Ashworth grade of the groups scored at baseline drops by at
   * least this many points (2, one stroke trial [STROKE]; the label gives no number: CONFLICT/GAP).
   */
  readonly positiveDropPoints: number;
  /** The observation the criterion reads (4 h, within the 2–4 h peak [GIL-TD]); one of observationHours. */
  readonly positiveAtHour: number;
  /**
   * How far from its labelled time (the bolus time plus its hour) an observation's clock time may
   * be, in minutes: 30 (LOCAL; no source gives a window: GAP). Less than half the smallest gap
   * between observation hours, so a clock time matches one label only, and small beside the 2–4 h
   * peak [GIL-TD] that the criterion's hour reads.
   */
  readonly observationToleranceMinutes: number;
}

/**
 * The longest an observation or a test-dose effect may be recorded as lasting, in hours. The
 * effect peaks at 2–4 h and is generally gone by 8 h [GIL-TD]; 48 h leaves room for an unusually
 * long effect while refusing a slip such as minutes typed for hours.
 */
export const MAX_OBSERVATION_HOURS = 48;

export interface DiscrepancyRules {
  /** Reservoirs of this size or smaller use `smallThresholdMl`; larger ones `largeThresholdMl`. One of the models' reservoir sizes. */
  readonly smallReservoirMaxMl: number;
  /** More than 1 mL in a 20 mL pump [MAINO]. */
  readonly smallThresholdMl: number;
  /** More than 2 mL in a 40 mL pump [MAINO], [ASRA]. */
  readonly largeThresholdMl: number;
  /**
   * More than this share of the expected volume, either way, is flagged too: 20 %, LOCAL. The
   * sources ask for both the volume and the percentage to be kept and judged [ASRA] (a 1 mL
   * difference matters more when 2 mL was expected than when 15 mL was).
   */
  readonly percentThreshold: number;
}

export interface TitrationRules {
  /** Largest rise per 24 h in titration, spinal origin: +30% (10–30%) [CMSC]. */
  readonly titrationSpinalRisePercent: number;
  /** Largest rise per 24 h in titration, cerebral origin: +15% (5–15%) [LABEL-SKY], [CMSC]. */
  readonly titrationCerebralRisePercent: number;
  /**
   * Largest cut per 24 h in titration: 20%, the label's cut for side effects (10–20%)
   * [LABEL-SKY]; the sources give no titration cut, so the maintenance figure is used.
   */
  readonly titrationCutPercent: number;
  /** Largest change either way in maintenance: ±20% (5–20% up, 10–20% down) [LABEL-SKY]. */
  readonly maintenanceChangePercent: number;
  /** Largest rise per 24 h for a child (under childUnderYears), in any phase: +15% (5–15%) [CMSC]. */
  readonly childRisePercent: number;
  /** From this daily dose up, a rise above highDoseRisePercent is outside the usual range: 500 mcg/day [CMSC]. */
  readonly highDoseFromMcgPerDay: number;
  /** "At higher doses, a rise above 20% may be too much" [CMSC]. */
  readonly highDoseRisePercent: number;
  /**
   * Hard limit: a new daily dose more than this many times the dose 24 h before, or less than its
   * reciprocal, is refused with no override (10: a decimal point moved; no titration step in the
   * sources comes near it [CMSC], [LABEL-SKY]).
   */
  readonly maxChangeFactor: number;
}

export interface HardLimits {
  /**
   * A daily dose below this is refused: 1 mcg/day. The lowest reported is 12 mcg/day
   * [MEDSCAPE-2], [GAB]; below 1 the figure is a unit slip (mg for mcg), never a dose.
   */
  readonly minDoseMcgPerDay: number;
  /**
   * A daily dose above this is refused: 3000 mcg/day. The highest reported is 2000 mcg/day
   * [CHEO], [MEDSCAPE-2]; the label sets no maximum, so this leaves room above the reports while
   * refusing a slip of a decimal point.
   */
  readonly maxDoseMcgPerDay: number;
  /** No intrathecal baclofen strength lies outside 10–3000 mcg/mL [LIO-AMP], [GAB]; below is mg/mL typed for mcg/mL. */
  readonly minConcentrationMcgPerMl: number;
  readonly maxConcentrationMcgPerMl: number;
}

export interface UsualRange {
  /** Daily doses reported 12–2000 mcg/day [MEDSCAPE-2], [GAB], [CHEO]; outside needs a reason. */
  readonly minDoseMcgPerDay: number;
  readonly maxDoseMcgPerDay: number;
}

export interface ConcentrationRules {
  /**
   * The strengths the service stocks, the only ones a pump prescription may use: 500, 1000 and
   * 2000 mcg/mL [LIO-AMP], [GAB]. Other strengths are made by dilution [LIO-AMP]; a service that
   * does so lists them here.
   */
  readonly stockedMcgPerMl: readonly number[];
}

export interface ProgrammeLimits {
  /**
   * A patient-activated bolus larger than this share of the continuous daily dose needs a reason:
   * 10 %, LOCAL (no source gives a figure: GAP).
   */
  readonly bolusMaxSharePercent: number;
  /** More patient boluses a day than this need a reason: 6, LOCAL (GAP). */
  readonly maxBolusesPerDay: number;
  /** A lock-out shorter than this needs a reason: 60 minutes, LOCAL (GAP). */
  readonly minLockoutMinutes: number;
  /**
   * One flex step delivering more than this share of the day's continuous dose needs a reason:
   * 25 %, LOCAL (GAP). Flex steps shift drug between times of day [MDT-FLEX]; a step that
   * carries much of the day in a few hours acts like a bolus.
   */
  readonly flexStepMaxSharePercent: number;
}

export interface ReviewScheduleRules {
  /** Offsets from the implant date, in order: "2w", "6w", "3m", "6m", "12m". */
  readonly offsets: readonly ReviewOffset[];
  /** After the last offset, a review every this many months (12: yearly). */
  readonly thenEveryMonths: number;
}

export interface ReviewOffset {
  readonly amount: number;
  readonly unit: 'w' | 'm';
}

export const DEFAULT_PUMP_RULES: PumpRules = {
  refillBufferDays: 7,
  stabilityDays: 180,
  discrepancy: {
    smallReservoirMaxMl: 20,
    smallThresholdMl: 1,
    largeThresholdMl: 2,
    percentThreshold: 20,
  },
  titration: {
    titrationSpinalRisePercent: 30,
    titrationCerebralRisePercent: 15,
    titrationCutPercent: 20,
    maintenanceChangePercent: 20,
    childRisePercent: 15,
    highDoseFromMcgPerDay: 500,
    highDoseRisePercent: 20,
    maxChangeFactor: 10,
  },
  startDoseLongEffectHours: 8,
  hardLimits: {
    minDoseMcgPerDay: 1,
    maxDoseMcgPerDay: 3000,
    minConcentrationMcgPerMl: 10,
    maxConcentrationMcgPerMl: 3000,
  },
  usualRange: { minDoseMcgPerDay: 12, maxDoseMcgPerDay: 2000 },
  concentrations: { stockedMcgPerMl: [500, 1000, 2000] },
  programme: {
    bolusMaxSharePercent: 10,
    maxBolusesPerDay: 6,
    minLockoutMinutes: 60,
    flexStepMaxSharePercent: 25,
  },
  childUnderYears: 18,
  reviewSchedule: {
    offsets: [
      { amount: 2, unit: 'w' },
      { amount: 6, unit: 'w' },
      { amount: 3, unit: 'm' },
      { amount: 6, unit: 'm' },
      { amount: 12, unit: 'm' },
    ],
    thenEveryMonths: 12,
  },
  reviewRecordDaysBack: 30,
  dueSoonDays: 7,
  replacementMarginDays: 30,
  maxPauseDays: 90,
  deliveryRefillWindowDays: 14,
  mriCheckDueHours: 0,
  testDose: {
    ladderMcg: [50, 75, 100],
    minIntervalHours: 24,
    screeningConcentrationMcgPerMl: 50,
    observationHours: [0, 2, 4, 6, 8],
    positiveDropPoints: 2,
    positiveAtHour: 4,
    observationToleranceMinutes: 30,
  },
};

/** The largest test bolus allowed: the ladder's top rung (hard limit) [LABEL-SUM]. */
export function testBolusMaxMcg(rules: TestDoseRules): number {
  return Math.max(...rules.ladderMcg);
}

/**
 * The most a starting daily dose may be: twice the largest allowed test bolus (F5's "twice the
 * effective bolus" at the top rung) [LABEL-SKY], [CHEO].
 */
export function startDoseMaxMcgPerDay(rules: TestDoseRules): number {
  return 2 * testBolusMaxMcg(rules);
}

function approxDays(offset: ReviewOffset): number {
  return offset.amount * (offset.unit === 'w' ? 7 : 30.44);
}

/** Parses "2w,6w,3m,6m,12m" (the REVIEW_SCHEDULE setting); null when any item is not N followed by w or m, or they are not in increasing order. */
export function parseReviewOffsets(text: string): ReviewOffset[] | null {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const offsets: ReviewOffset[] = [];
  for (const item of items) {
    const m = /^(\d{1,3})([wm])$/.exec(item);
    if (!m || Number(m[1]) < 1) {
      return null;
    }
    const offset = { amount: Number(m[1]), unit: m[2] as 'w' | 'm' };
    const previous = offsets[offsets.length - 1];
    // Weeks and months compared by their length in days (a month is at least 28 days).
    if (previous && approxDays(offset) <= approxDays(previous)) {
      return null;
    }
    offsets.push(offset);
  }
  return offsets.length > 0 ? offsets : null;
}
