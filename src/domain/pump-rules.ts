/**
 * Every clinical number the pump-therapy arithmetic uses, with its default and source
 * (../shared/docs/clinical-reference.md, sections 3 to 7). They are service configuration:
 * config.ts reads overrides from the environment (README, "Configuration") and passes the
 * result in, so nothing in the domain holds a clinical constant of its own.
 */
export interface PumpRules {
  /** Refill is due this many days before the low-reservoir alarm date. 7 days: LOCAL [GIL-RF2], [SVHM], [MDT-ALARM]. */
  readonly refillBufferDays: number;
  /** Longest time a fill may stay in the pump. 180 days [STAB180]; to be confirmed against the drug's labelling. */
  readonly stabilityDays: number;
  /** Residual discrepancy thresholds, either direction, strictly "more than" [MAINO], stricter than [ASRA]. */
  readonly discrepancy: DiscrepancyRules;
  readonly titration: TitrationRules;
  /** A test-dose effect lasting longer than this gives a starting dose equal to the test dose [LABEL-SKY], [CHEO]. */
  readonly startDoseLongEffectHours: number;
  /** Values outside these ranges are refused as implausible (most often mg typed for mcg). */
  readonly plausible: PlausibleRanges;
  /** Post-implant reviews (2 and 6 weeks, 3, 6, 12 months, then yearly; LOCAL [BRIS-RF], [MEDSCAPE-2]). */
  readonly reviewSchedule: ReviewScheduleRules;
  /** A refill, review or replacement due within this many days counts as "due this week". */
  readonly dueSoonDays: number;
  readonly testDose: TestDoseRules;
}

/** The screening protocol (clinical-reference.md 3). */
export interface TestDoseRules {
  /** Bolus doses in order: 50, 75, 100 mcg [LABEL-SUM], [LABEL-SKY], [DRUGS]. */
  readonly ladderMcg: readonly number[];
  /** At most one bolus a day, 24 h apart [LABEL-SUM], [BACINFO]. */
  readonly minIntervalHours: number;
  /** The 50 mcg/mL screening strength [LABEL-SUM]. */
  readonly screeningConcentrationMcgPerMl: number;
  /** Observation times after each bolus, hours: baseline, 2, 4, 6, 8 (LOCAL; peak 2–4 h, gone by 8 h [GIL-TD]). */
  readonly observationHours: readonly number[];
  /**
   * A positive response: the mean Ashworth grade of the groups scored at baseline drops by at
   * least this many points (2, one stroke trial [STROKE]; the label gives no number: CONFLICT/GAP).
   */
  readonly positiveDropPoints: number;
  /** The observation the criterion reads (4 h, within the 2–4 h peak [GIL-TD]). */
  readonly positiveAtHour: number;
}

export interface DiscrepancyRules {
  /** Reservoirs of this size or smaller use `smallThresholdMl`; larger ones `largeThresholdMl`. */
  readonly smallReservoirMaxMl: number;
  /** More than 1 mL in a 20 mL pump [MAINO]. */
  readonly smallThresholdMl: number;
  /** More than 2 mL in a 40 mL pump [MAINO], [ASRA]. */
  readonly largeThresholdMl: number;
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
}

export interface PlausibleRanges {
  /** Daily doses reported 12–2000 mcg/day [MEDSCAPE-2], [GAB], [CHEO]; 1–3000 leaves room. */
  readonly minDoseMcgPerDay: number;
  readonly maxDoseMcgPerDay: number;
  /** Strengths 50–2000 mcg/mL, diluted below that [LIO-AMP], [GAB]; 10–3000 leaves room. */
  readonly minConcentrationMcgPerMl: number;
  readonly maxConcentrationMcgPerMl: number;
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
  discrepancy: { smallReservoirMaxMl: 20, smallThresholdMl: 1, largeThresholdMl: 2 },
  titration: {
    titrationSpinalRisePercent: 30,
    titrationCerebralRisePercent: 15,
    titrationCutPercent: 20,
    maintenanceChangePercent: 20,
  },
  startDoseLongEffectHours: 8,
  plausible: {
    minDoseMcgPerDay: 1,
    maxDoseMcgPerDay: 3000,
    minConcentrationMcgPerMl: 10,
    maxConcentrationMcgPerMl: 3000,
  },
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
  dueSoonDays: 7,
  testDose: {
    ladderMcg: [50, 75, 100],
    minIntervalHours: 24,
    screeningConcentrationMcgPerMl: 50,
    observationHours: [0, 2, 4, 6, 8],
    positiveDropPoints: 2,
    positiveAtHour: 4,
  },
};

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
