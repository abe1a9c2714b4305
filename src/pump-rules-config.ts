import { ConfigError, decimal, int, type Env } from './config-env.ts';
import { PUMP_MODELS } from './domain/pump-device.ts';
import {
  DEFAULT_PUMP_RULES,
  MAX_OBSERVATION_HOURS,
  parseReviewOffsets,
  type ConcentrationRules,
  type DiscrepancyRules,
  type HardLimits,
  type ProgrammeLimits,
  type PumpRules,
  type ReviewOffset,
  type TestDoseRules,
  type TitrationRules,
  type UsualRange,
} from './domain/pump-rules.ts';

/**
 * Pump therapy's settings (README, "Pump therapy"): each default and its source is in
 * domain/pump-rules.ts; this file reads overrides and refuses, at start-up, any value outside
 * the bounds a clinical rule or the pump models allow.
 */

function reviewOffsets(env: Env): readonly ReviewOffset[] {
  const raw = env.REVIEW_SCHEDULE;
  if (raw === undefined || raw === '') {
    return DEFAULT_PUMP_RULES.reviewSchedule.offsets;
  }
  const offsets = parseReviewOffsets(raw);
  if (!offsets) {
    throw new ConfigError(`REVIEW_SCHEDULE must list offsets like 2w,6w,3m,6m,12m, not "${raw}"`);
  }
  return offsets;
}

/**
 * A list of numbers such as TEST_DOSE_LADDER_MCG=50,75,100: each a plain decimal (whole when
 * `whole`) from min to max, in increasing order when `increasing`.
 */
function numberList(
  env: Env,
  name: string,
  fallback: readonly number[],
  bounds: {
    readonly min: number;
    readonly max: number;
    readonly whole: boolean;
    readonly increasing: boolean;
  },
): readonly number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const items = raw.split(',').map((v) => v.trim());
  const values = items.map(Number);
  const kind = bounds.whole ? 'whole numbers' : 'numbers';
  const order = bounds.increasing ? ', in increasing order' : '';
  const ok =
    items.length > 0 &&
    items.every((v) => (bounds.whole ? /^\d+$/ : /^\d+(\.\d+)?$/).test(v)) &&
    values.every((v) => v >= bounds.min && v <= bounds.max) &&
    (!bounds.increasing || values.every((v, i) => i === 0 || v > (values[i - 1] ?? 0)));
  if (!ok) {
    throw new ConfigError(
      `${name} must list ${kind} from ${bounds.min} to ${bounds.max}${order}, separated by commas, not "${raw}"`,
    );
  }
  return values;
}

/** The reservoir sizes some configured pump model has (20 and 40 mL). */
function modelReservoirSizes(): number[] {
  return [...new Set(PUMP_MODELS.flatMap((m) => m.reservoirSizesMl))].sort((a, b) => a - b);
}

function discrepancyRules(env: Env): DiscrepancyRules {
  const d = DEFAULT_PUMP_RULES.discrepancy;
  const sizes = modelReservoirSizes();
  const smallReservoirMaxMl = decimal(
    env,
    'DISCREPANCY_SMALL_RESERVOIR_MAX_ML',
    d.smallReservoirMaxMl,
    1,
    Math.max(...sizes),
  );
  // The threshold splits pumps by reservoir size, so it must be a size some pump has.
  if (!sizes.includes(smallReservoirMaxMl)) {
    throw new ConfigError(
      `DISCREPANCY_SMALL_RESERVOIR_MAX_ML must be a reservoir size a pump model has (${sizes.join(' or ')} mL), not "${env.DISCREPANCY_SMALL_RESERVOIR_MAX_ML ?? ''}"`,
    );
  }
  return {
    smallReservoirMaxMl,
    smallThresholdMl: decimal(env, 'DISCREPANCY_SMALL_ML', d.smallThresholdMl, 0.1, 20),
    largeThresholdMl: decimal(env, 'DISCREPANCY_LARGE_ML', d.largeThresholdMl, 0.1, 20),
    percentThreshold: int(env, 'DISCREPANCY_PCT', d.percentThreshold, 1, 100),
  };
}

function titrationRules(env: Env, hard: HardLimits): TitrationRules {
  const d = DEFAULT_PUMP_RULES.titration;
  return {
    titrationSpinalRisePercent: int(env, 'TITRATION_SPINAL_RISE_PCT', d.titrationSpinalRisePercent, 1, 100),
    titrationCerebralRisePercent: int(
      env,
      'TITRATION_CEREBRAL_RISE_PCT',
      d.titrationCerebralRisePercent,
      1,
      100,
    ),
    titrationCutPercent: int(env, 'TITRATION_CUT_PCT', d.titrationCutPercent, 1, 100),
    maintenanceChangePercent: int(env, 'MAINTENANCE_CHANGE_PCT', d.maintenanceChangePercent, 1, 100),
    childRisePercent: int(env, 'TITRATION_CHILD_RISE_PCT', d.childRisePercent, 1, 100),
    highDoseFromMcgPerDay: int(
      env,
      'HIGH_DOSE_FROM_MCG_PER_DAY',
      d.highDoseFromMcgPerDay,
      hard.minDoseMcgPerDay,
      hard.maxDoseMcgPerDay,
    ),
    highDoseRisePercent: int(env, 'HIGH_DOSE_RISE_PCT', d.highDoseRisePercent, 1, 100),
    maxChangeFactor: int(env, 'DOSE_CHANGE_MAX_FACTOR', d.maxChangeFactor, 2, 100),
  };
}

/**
 * The dose bands: hard limits can only be tightened from the defaults (a service may refuse
 * more, never accept a dose beyond what any source reports, with room for error), and the usual
 * range must sit inside them.
 */
function doseBands(env: Env): { hardLimits: HardLimits; usualRange: UsualRange } {
  const d = DEFAULT_PUMP_RULES;
  const hardLimits: HardLimits = {
    ...d.hardLimits,
    minDoseMcgPerDay: decimal(env, 'DOSE_MIN_MCG_PER_DAY', d.hardLimits.minDoseMcgPerDay, 1, 1000),
    maxDoseMcgPerDay: decimal(
      env,
      'DOSE_MAX_MCG_PER_DAY',
      d.hardLimits.maxDoseMcgPerDay,
      1,
      d.hardLimits.maxDoseMcgPerDay,
    ),
  };
  const usualRange: UsualRange = {
    minDoseMcgPerDay: decimal(env, 'DOSE_USUAL_MIN_MCG_PER_DAY', d.usualRange.minDoseMcgPerDay, 1, 3000),
    maxDoseMcgPerDay: decimal(env, 'DOSE_USUAL_MAX_MCG_PER_DAY', d.usualRange.maxDoseMcgPerDay, 1, 3000),
  };
  const inOrder =
    hardLimits.minDoseMcgPerDay <= usualRange.minDoseMcgPerDay &&
    usualRange.minDoseMcgPerDay < usualRange.maxDoseMcgPerDay &&
    usualRange.maxDoseMcgPerDay <= hardLimits.maxDoseMcgPerDay;
  if (!inOrder) {
    throw new ConfigError(
      `The dose settings must be in order: DOSE_MIN_MCG_PER_DAY (${hardLimits.minDoseMcgPerDay}) ≤ DOSE_USUAL_MIN_MCG_PER_DAY (${usualRange.minDoseMcgPerDay}) < DOSE_USUAL_MAX_MCG_PER_DAY (${usualRange.maxDoseMcgPerDay}) ≤ DOSE_MAX_MCG_PER_DAY (${hardLimits.maxDoseMcgPerDay})`,
    );
  }
  return { hardLimits, usualRange };
}

function concentrationRules(env: Env, hard: HardLimits, screening: number): ConcentrationRules {
  const stockedMcgPerMl = numberList(
    env,
    'CONCENTRATIONS_STOCKED_MCG_PER_ML',
    DEFAULT_PUMP_RULES.concentrations.stockedMcgPerMl,
    {
      min: hard.minConcentrationMcgPerMl,
      max: hard.maxConcentrationMcgPerMl,
      whole: false,
      increasing: true,
    },
  );
  // The screening strength is for test doses only [LABEL-SUM]: a pump is never filled with it.
  if (stockedMcgPerMl.includes(screening)) {
    throw new ConfigError(
      `CONCENTRATIONS_STOCKED_MCG_PER_ML must not list the ${screening} mcg/mL screening strength: it is for test doses only`,
    );
  }
  return { stockedMcgPerMl };
}

function programmeLimits(env: Env): ProgrammeLimits {
  const d = DEFAULT_PUMP_RULES.programme;
  return {
    bolusMaxSharePercent: int(env, 'BOLUS_MAX_SHARE_PCT', d.bolusMaxSharePercent, 1, 100),
    maxBolusesPerDay: int(env, 'BOLUS_MAX_PER_DAY', d.maxBolusesPerDay, 1, 24),
    minLockoutMinutes: int(env, 'BOLUS_MIN_LOCKOUT_MINUTES', d.minLockoutMinutes, 0, 1440),
    flexStepMaxSharePercent: int(env, 'FLEX_STEP_MAX_SHARE_PCT', d.flexStepMaxSharePercent, 5, 100),
  };
}

function testDoseRules(env: Env): TestDoseRules {
  const d = DEFAULT_PUMP_RULES.testDose;
  // No rung above the label's last screening dose: no response to 100 mcg means no implant [LABEL-SUM].
  const ladderMcg = numberList(env, 'TEST_DOSE_LADDER_MCG', d.ladderMcg, {
    min: 1,
    max: Math.max(...d.ladderMcg),
    whole: false,
    increasing: true,
  });
  const observationHours = numberList(env, 'TEST_DOSE_OBSERVATION_HOURS', d.observationHours, {
    min: 0,
    max: MAX_OBSERVATION_HOURS,
    whole: true,
    increasing: true,
  });
  if (observationHours[0] !== 0) {
    throw new ConfigError(
      `TEST_DOSE_OBSERVATION_HOURS must start with 0, the baseline before the bolus, not "${env.TEST_DOSE_OBSERVATION_HOURS ?? ''}"`,
    );
  }
  const positiveAtHour = int(env, 'TEST_DOSE_POSITIVE_AT_HOUR', d.positiveAtHour, 1, MAX_OBSERVATION_HOURS);
  if (!observationHours.includes(positiveAtHour)) {
    throw new ConfigError(
      `TEST_DOSE_POSITIVE_AT_HOUR (${positiveAtHour}) must be one of the observation hours (${observationHours.join(', ')})`,
    );
  }
  // Each clock time must match one labelled hour only: under half the smallest gap between hours.
  const gaps = observationHours.slice(1).map((h, i) => h - (observationHours[i] ?? 0));
  const toleranceMax = Math.min(120, ...gaps.map((g) => Math.ceil((g * 60) / 2) - 1));
  const observationToleranceMinutes = int(
    env,
    'TEST_DOSE_OBSERVATION_TOLERANCE_MINUTES',
    Math.min(d.observationToleranceMinutes, toleranceMax),
    5,
    toleranceMax,
  );
  return {
    ...d,
    ladderMcg,
    observationHours,
    positiveAtHour,
    observationToleranceMinutes,
    positiveDropPoints: decimal(env, 'TEST_DOSE_POSITIVE_DROP_POINTS', d.positiveDropPoints, 0.5, 5),
  };
}

/** Every default is in pump-rules.ts with its source; README lists the settings and their bounds. */
export function pumpRulesFromEnv(env: Env): PumpRules {
  const d = DEFAULT_PUMP_RULES;
  const { hardLimits, usualRange } = doseBands(env);
  const testDose = testDoseRules(env);
  const eriRunDays = Math.min(...PUMP_MODELS.flatMap((m) => (m.eriRunDays === null ? [] : [m.eriRunDays])));
  return {
    refillBufferDays: int(env, 'REFILL_BUFFER_DAYS', d.refillBufferDays, 0, 60),
    // Never longer than the 180 days the stability data allow [STAB180].
    stabilityDays: int(env, 'REFILL_MAX_INTERVAL_DAYS', d.stabilityDays, 1, DEFAULT_PUMP_RULES.stabilityDays),
    discrepancy: discrepancyRules(env),
    titration: titrationRules(env, hardLimits),
    startDoseLongEffectHours: decimal(
      env,
      'START_DOSE_LONG_EFFECT_HOURS',
      d.startDoseLongEffectHours,
      1,
      MAX_OBSERVATION_HOURS,
    ),
    hardLimits,
    usualRange,
    concentrations: concentrationRules(env, hardLimits, testDose.screeningConcentrationMcgPerMl),
    programme: programmeLimits(env),
    childUnderYears: d.childUnderYears,
    reviewSchedule: {
      offsets: reviewOffsets(env),
      thenEveryMonths: int(env, 'REVIEW_THEN_EVERY_MONTHS', d.reviewSchedule.thenEveryMonths, 1, 60),
    },
    reviewRecordDaysBack: int(env, 'REVIEW_RECORD_DAYS_BACK', d.reviewRecordDaysBack, 0, 365),
    dueSoonDays: int(env, 'PUMP_DUE_SOON_DAYS', d.dueSoonDays, 0, 60),
    // The margin must leave the replace-by date after the ERI itself.
    replacementMarginDays: int(env, 'REPLACEMENT_MARGIN_DAYS', d.replacementMarginDays, 0, eriRunDays - 1),
    maxPauseDays: int(env, 'PAUSE_MAX_DAYS', d.maxPauseDays, 1, 180),
    deliveryRefillWindowDays: int(env, 'PREGNANCY_REFILL_WINDOW_DAYS', d.deliveryRefillWindowDays, 0, 60),
    mriCheckDueHours: int(env, 'MRI_CHECK_DUE_HOURS', d.mriCheckDueHours, 0, 72),
    testDose,
  };
}
