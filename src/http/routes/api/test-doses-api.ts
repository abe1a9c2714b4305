import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../../compose.ts';
import { warningsForOutput } from '../../../domain/clinical-warning.ts';
import type { TestDoseRules } from '../../../domain/pump-rules.ts';
import { round2 } from '../../../domain/refill-arithmetic.ts';
import { offLadderWarnings } from '../../../domain/test-dose.ts';
import {
  abandonEpisode,
  confirmResult,
  createEpisode,
  patientTestDoses,
  recordBolus,
  recordObservation,
  updatePreChecks,
  viewEpisode,
  type BolusDetail,
  type EpisodeDetail,
} from '../../../services/test-dose-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { testDoseServiceDeps } from '../test-doses.ts';
import { errorSchema } from './error-schema.ts';
import { testDoseOverrideApiRoutes } from './test-dose-overrides-api.ts';
import {
  abandonBodySchema,
  bolusBodySchema,
  episodeBodySchema,
  episodeListSchema,
  episodeSchema,
  observationBodySchema,
  preChecksBodySchema,
  resultBodySchema,
} from './test-dose-schemas.ts';

/**
 * A bolus's warnings as they were when it was recorded; for a bolus recorded before they were
 * kept, worked out again from the ladder's dose then (the same rule).
 */
function bolusWarnings(b: BolusDetail, rules: TestDoseRules) {
  return warningsForOutput(b.warnings ?? offLadderWarnings(b.doseMcg, b.ladderDoseMcg, rules));
}

function episodeToApi(d: EpisodeDetail, rules: TestDoseRules): z.infer<typeof episodeSchema> {
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
    createdAt: e.createdAt,
    createdBy: e.createdBy,
    updatedAt: e.updatedAt,
    version: e.version,
  };
}

/** Test-dose episodes as JSON; each endpoint calls the service the pages call. */
export function testDoseApiRoutes(deps: AppDeps): FastifyPluginAsync {
  const svc = testDoseServiceDeps(deps);
  const rules = deps.config.pumpRules.testDose;
  const toApi = (d: EpisodeDetail) => episodeToApi(d, rules);
  return async (base) => {
    await base.register(testDoseOverrideApiRoutes(deps));
    const app = base.withTypeProvider<ZodTypeProvider>();
    const errors = {
      400: errorSchema,
      401: errorSchema,
      403: errorSchema,
      404: errorSchema,
      409: errorSchema,
    };
    const patientParams = z.object({ patientId: z.string() });
    const episodeParams = z.object({ id: z.string() });
    const bolusParams = z.object({ id: z.string(), bolusId: z.string() });
    const tags = ['test doses'];

    app.get(
      '/patients/:patientId/test-doses',
      {
        config: { access: { permission: 'patient:read' } },
        schema: {
          tags,
          summary: "A patient's test-dose episodes, newest first (audited)",
          params: patientParams,
          response: { 200: episodeListSchema, ...errors },
        },
      },
      async (request) => {
        const { patient, episodes } = await patientTestDoses(
          svc,
          actorFor(requireAuth(request), request.id),
          request.params.patientId,
        );
        return {
          patientId: patient.id,
          episodes: episodes.map(({ episode, boluses }) => ({
            id: episode.id,
            state: episode.state,
            createdAt: episode.createdAt,
            closedAt: episode.closedAt,
            dosesMcg: boluses.map((b) => b.doseMcg),
          })),
        };
      },
    );

    app.post(
      '/patients/:patientId/test-doses',
      {
        config: { access: { permission: 'testdose:record' } },
        schema: {
          tags,
          summary: 'Start a test-dose episode with its pre-checks (409 while another is open)',
          params: patientParams,
          body: episodeBodySchema,
          response: { 201: episodeSchema, ...errors },
        },
      },
      async (request, reply) => {
        const d = await createEpisode(
          svc,
          actorFor(requireAuth(request), request.id),
          request.params.patientId,
          request.body,
        );
        return reply.status(201).send(toApi(d));
      },
    );

    app.get(
      '/test-doses/:id',
      {
        config: { access: { permission: 'patient:read' } },
        schema: {
          tags,
          summary: 'A test-dose episode: pre-checks, boluses, observations, suggestions, results (audited)',
          params: episodeParams,
          response: { 200: episodeSchema, ...errors },
        },
      },
      async (request) =>
        toApi(await viewEpisode(svc, actorFor(requireAuth(request), request.id), request.params.id)),
    );

    app.post(
      '/test-doses/:id/pre-checks',
      {
        config: { access: { permission: 'testdose:record' } },
        schema: {
          tags,
          summary:
            'Record the pre-checks of an open episode again (for example once an infection has cleared)',
          params: episodeParams,
          body: preChecksBodySchema,
          response: { 200: episodeSchema, ...errors },
        },
      },
      async (request) =>
        toApi(
          await updatePreChecks(
            svc,
            actorFor(requireAuth(request), request.id),
            request.params.id,
            request.body,
          ),
        ),
    );

    app.post(
      '/test-doses/:id/boluses',
      {
        config: { access: { permission: 'dose:prescribe' } },
        schema: {
          tags,
          summary:
            'Record a test bolus given by the caller (409 until the pre-checks pass or the last result is confirmed)',
          params: episodeParams,
          body: bolusBodySchema,
          response: { 201: episodeSchema, ...errors },
        },
      },
      async (request, reply) => {
        const d = await recordBolus(
          svc,
          actorFor(requireAuth(request), request.id),
          request.params.id,
          request.body,
        );
        return reply.status(201).send(toApi(d));
      },
    );

    app.post(
      '/test-doses/:id/boluses/:bolusId/observations',
      {
        config: { access: { permission: 'testdose:record' } },
        schema: {
          tags,
          summary: 'Record an observation of a bolus at a configured hour',
          params: bolusParams,
          body: observationBodySchema,
          response: { 201: episodeSchema, ...errors },
        },
      },
      async (request, reply) => {
        const d = await recordObservation(
          svc,
          actorFor(requireAuth(request), request.id),
          request.params.id,
          request.params.bolusId,
          request.body,
        );
        return reply.status(201).send(toApi(d));
      },
    );

    app.post(
      '/test-doses/:id/boluses/:bolusId/result',
      {
        config: { access: { permission: 'dose:prescribe' } },
        schema: {
          tags,
          summary: "Confirm a bolus's result, positive or negative",
          params: bolusParams,
          body: resultBodySchema,
          response: { 200: episodeSchema, ...errors },
        },
      },
      async (request) =>
        toApi(
          await confirmResult(
            svc,
            actorFor(requireAuth(request), request.id),
            request.params.id,
            request.params.bolusId,
            request.body,
          ),
        ),
    );

    app.post(
      '/test-doses/:id/abandon',
      {
        config: { access: { permission: 'testdose:record' } },
        schema: {
          tags,
          summary: 'Abandon an open test-dose episode with a reason',
          params: episodeParams,
          body: abandonBodySchema,
          response: { 200: episodeSchema, ...errors },
        },
      },
      async (request) =>
        toApi(
          await abandonEpisode(
            svc,
            actorFor(requireAuth(request), request.id),
            request.params.id,
            request.body,
          ),
        ),
    );
  };
}
