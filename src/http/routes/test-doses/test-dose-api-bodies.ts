import type { z } from 'zod';
import { warningsForOutput } from '../../../domain/clinical-warning.ts';
import type { TestDoseRules } from '../../../domain/pump-rules.ts';
import { round2 } from '../../../domain/refill-arithmetic.ts';
import { offLadderWarnings } from '../../../domain/test-dose-bolus.ts';
import type { OverrideView } from '../../../services/test-dose-override-service.ts';
import type { BolusDetail, EpisodeDetail } from '../../../services/test-dose-detail.ts';
import type { episodeSchema, overrideSchema } from './test-dose-schemas.ts';

/** The test-dose API's response bodies, made from what the services return. */

/**
 * A bolus's warnings as they were when it was recorded; for a bolus recorded before they were
 * kept, worked out again from the ladder's dose then (the same rule).
 */
function bolusWarnings(b: BolusDetail, rules: TestDoseRules) {
  return warningsForOutput(b.warnings ?? offLadderWarnings(b.doseMcg, b.ladderDoseMcg, rules));
}

export function episodeToApi(d: EpisodeDetail, rules: TestDoseRules): z.infer<typeof episodeSchema> {
  const e = d.episode;
  const positive = d.outcome;
  const start = positive?.startingDose ?? null;
  return {
    id: e.id,
    patientId: e.patientId,
    assessmentId: e.assessmentId,
    overrideId: d.override?.id ?? null,
    state: e.state,
    preChecks: { ...e.preChecks },
    boluses: d.boluses.map((b) => ({
      id: b.id,
      sequence: b.sequence,
      doseMcg: b.doseMcg,
      concentrationMcgPerMl: b.concentrationMcgPerMl,
      concentrationReason: b.concentrationReason,
      // Rounded only on the way out; the stored volume is exact.
      volumeMl: round2(b.volumeMl),
      ladderDoseMcg: b.ladderDoseMcg,
      offLadderReason: b.offLadderReason,
      route: b.route,
      givenAt: b.givenAt,
      givenBy: b.givenBy,
      checkedBy: b.checkedBy,
      note: b.note,
      recordedAt: b.recordedAt,
      warnings: bolusWarnings(b, rules),
      observations: b.observations.map((o) => ({
        id: o.id,
        hour: o.hour,
        observedAt: o.observedAt,
        mas: o.mas.map((m) => ({ muscleGroup: m.muscleGroup, side: m.side, grade: m.grade })),
        pennFrequency: o.pennFrequency,
        heartRateBpm: o.heartRateBpm,
        systolicMmHg: o.systolicMmHg,
        diastolicMmHg: o.diastolicMmHg,
        respiratoryRatePerMin: o.respiratoryRatePerMin,
        spo2Percent: o.spo2Percent,
        sideEffects: [...o.sideEffects],
        sideEffectNote: o.sideEffectNote,
        note: o.note,
        recordedAt: o.recordedAt,
        recordedBy: o.recordedBy,
      })),
      suggestion: { ...b.suggestion },
      result: b.result
        ? {
            result: b.result.result,
            suggestedOutcome: b.result.suggestion.outcome,
            reason: b.result.reason,
            effectHours: b.result.effectHours,
            adverseReactions: b.result.adverseReactions,
            adverseNote: b.result.adverseNote,
            note: b.result.note,
            decidedAt: b.result.decidedAt,
            decidedOn: b.result.decidedOn,
            decidedBy: b.result.decidedBy,
          }
        : null,
    })),
    nextBolus: d.plan
      ? {
          ladderDoseMcg: d.plan.ladderDoseMcg,
          ladderVolumeMl: d.plan.ladderVolumeMl === null ? null : round2(d.plan.ladderVolumeMl),
          earliestAt: d.plan.earliestAt,
          blockers: d.plan.blockers.map((b) => ({ field: b.field, message: b.message })),
        }
      : null,
    startingDose:
      positive && start
        ? {
            testDoseMcg: positive.bolus.doseMcg,
            effectHours: positive.effectHours,
            adverseReactions: positive.adverseReactions,
            dailyDoseMcg: start.dailyDoseMcg,
            rule: start.rule,
          }
        : null,
    startingDoseRefused: positive?.startingDoseRefused ?? null,
    warnings: d.boluses.flatMap((b) => bolusWarnings(b, rules)),
    abandonReason: e.abandonReason,
    closedAt: e.closedAt,
    closedOn: e.closedOn,
    closedBy: e.closedBy,
    startedAt: e.startedAt,
    createdAt: e.createdAt,
    createdBy: e.createdBy,
    updatedAt: e.updatedAt,
    version: e.version,
  };
}

export function overrideToApi(o: OverrideView): z.infer<typeof overrideSchema> {
  return {
    id: o.id,
    patientId: o.patientId,
    reason: o.reason,
    state: o.state,
    createdAt: o.createdAt,
    createdBy: o.createdBy,
    createdByName: o.createdByName,
    episodeId: o.episodeId,
    usedAt: o.usedAt,
    usedBy: o.usedBy,
    withdrawnAt: o.withdrawnAt,
    withdrawnBy: o.withdrawnBy,
    withdrawReason: o.withdrawReason,
  };
}
