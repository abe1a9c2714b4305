import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { MUSCLE_GROUP_LABELS, SIDE_LABELS } from '../../../domain/outcome-measures.ts';
import { testBolusMaxMcg } from '../../../domain/pump-rules.ts';
import { roleHasPermission, type Role } from '../../../domain/roles.ts';
import { AppError } from '../../../services/app-error.ts';
import {
  abandonEpisode,
  confirmResult,
  createEpisode,
  patientTestDoses,
  recordBolus,
  recordObservation,
  testDoseStartOptions,
  updatePreChecks,
  viewEpisode,
  type EpisodeDetail,
  type TestDoseServiceDeps,
} from '../../../services/test-dose-service.ts';
import { viewPatient } from '../../../services/patient-service.ts';
import { listBolusesForEpisode } from '../../../storage/test-dose-boluses.repository.ts';
import { findOpenEpisodeForPatient } from '../../../storage/test-doses.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import {
  abandonFromForm,
  BOLUS_HREFS,
  bolusFormValues,
  bolusFromForm,
  bolusPrefill,
  OBSERVATION_HREFS,
  observationChoices,
  observationFormErrors,
  observationFormValues,
  observationFromForm,
  PRE_CHECK_HREFS,
  preCheckFormValues,
  preChecksFromForm,
  preCheckValues,
  fieldErrorsOf,
  formError,
  RESULT_HREFS,
  resultChoices,
  resultFromForm,
  resultFromFormValues,
  routeChoices,
} from './test-dose-form.ts';
import { testDoseOverridePageRoutes } from './test-dose-override-pages.ts';
import { episodeListRows, episodeView, formatMl, gateView, overrideRows } from './test-dose-view.ts';

export function testDoseServiceDeps(deps: AppDeps): TestDoseServiceDeps {
  return { db: deps.database.db, clock: deps.clock, config: deps.config };
}

type PatientParams = { Params: { patientId: string } };
type EpisodeParams = { Params: { id: string } };
type BolusParams = { Params: { id: string; bolusId: string } };

const NOTICES: Readonly<Record<string, string>> = {
  created: 'Test dose started',
  'pre-checks': 'Pre-checks saved',
  bolus: 'Bolus recorded',
  observation: 'Observation recorded',
  result: 'Result confirmed',
  abandoned: 'Test dose abandoned',
  override: 'Override recorded',
  'override-withdrawn': 'Override withdrawn',
};

/**
 * Test-dose pages: a patient's episodes, a new episode with its pre-checks,
 * the episode (pre-checks, boluses with volumes worked out, observation tables, the suggestion,
 * the result form, the starting dose), and the bolus, observation and abandon forms.
 */
export function testDoseRoutes(deps: AppDeps): FastifyPluginAsync {
  const svc = testDoseServiceDeps(deps);
  const rules = deps.config.pumpRules.testDose;
  const read = { permission: 'patient:read' } as const;
  const record = { permission: 'testdose:record' } as const;
  const prescribe = { permission: 'dose:prescribe' } as const;
  const actorOf = (request: FastifyRequest) => actorFor(requireAuth(request), request.id);
  const roleOf = (request: FastifyRequest) => requireAuth(request).user.role;
  const episodeUrl = (id: string, notice?: string) => `/test-doses/${id}${notice ? `?done=${notice}` : ''}`;

  const renderShow = (
    reply: FastifyReply,
    role: Role,
    detail: EpisodeDetail,
    extra: {
      status?: number;
      errors?: readonly FieldError[];
      values?: Record<string, unknown>;
      notice?: string;
    } = {},
  ) =>
    reply.status(extra.status ?? 200).page('pages/test-doses/show.njk', {
      title: 'Test dose',
      ...episodeView(detail, {
        rules,
        timeZone: deps.config.timeZone,
        longEffectHours: deps.config.pumpRules.startDoseLongEffectHours,
        canRecord: roleHasPermission(role, 'testdose:record'),
        canPrescribe: roleHasPermission(role, 'dose:prescribe'),
      }),
      values: extra.values ?? {},
      resultChoices,
      notice: extra.notice ? (NOTICES[extra.notice] ?? null) : null,
      ...errorContext(extra.errors ?? [], RESULT_HREFS),
    });

  const renderPreChecks = async (
    reply: FastifyReply,
    request: FastifyRequest,
    target: { patientId: string; episode: EpisodeDetail | null },
    status: number,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
  ) => {
    const patient = target.episode
      ? target.episode.patient
      : await viewPatient(
          { db: svc.db, clock: svc.clock, timeZone: deps.config.timeZone },
          actorOf(request),
          target.patientId,
        );
    const role = requireAuth(request).user.role;
    const gate = target.episode
      ? null
      : gateView(await testDoseStartOptions(svc, actorOf(request), patient.id), deps.config.timeZone);
    return reply.status(status).page('pages/test-doses/pre-checks.njk', {
      title: target.episode ? 'Change the pre-checks' : 'Start a test dose',
      patient,
      episodeId: target.episode?.episode.id ?? null,
      gate,
      canOverride: roleHasPermission(role, 'assessment:decide'),
      action: target.episode
        ? `/test-doses/${target.episode.episode.id}/pre-checks`
        : `/patients/${patient.id}/test-doses`,
      values:
        gate && values.assessmentId === undefined ? { ...values, assessmentId: gate.preselect } : values,
      ...errorContext(errors, PRE_CHECK_HREFS),
    });
  };

  const renderBolus = (
    reply: FastifyReply,
    detail: EpisodeDetail,
    status: number,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
  ) => {
    const view = episodeView(detail, {
      rules,
      timeZone: deps.config.timeZone,
      longEffectHours: deps.config.pumpRules.startDoseLongEffectHours,
      canRecord: true,
      canPrescribe: true,
    });
    return reply.status(status).page('pages/test-doses/bolus.njk', {
      title: 'Record a bolus',
      patient: detail.patient,
      episodeId: detail.episode.id,
      plan: view.plan,
      ladder: rules.ladderMcg.map((d) => ({
        dose: `${d} mcg`,
        volume: `${formatMl(d / rules.screeningConcentrationMcgPerMl)} mL`,
      })),
      screeningConcentration: rules.screeningConcentrationMcgPerMl,
      maxBolusMcg: testBolusMaxMcg(rules),
      minIntervalHours: rules.minIntervalHours,
      routeChoices,
      values,
      ...errorContext(errors, BOLUS_HREFS),
    });
  };

  const renderObservation = (
    reply: FastifyReply,
    detail: EpisodeDetail,
    bolusId: string,
    status: number,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
  ) => {
    const bolus = detail.boluses.find((b) => b.id === bolusId);
    if (!bolus) {
      throw new AppError('NOT_FOUND', 'Bolus not found in this test dose');
    }
    const baseline = bolus.observations.find((o) => o.hour === 0);
    return reply.status(status).page('pages/test-doses/observation.njk', {
      title: 'Record an observation',
      patient: detail.patient,
      episodeId: detail.episode.id,
      bolus: { id: bolus.id, heading: `Bolus ${bolus.sequence}: ${bolus.doseMcg} mcg` },
      baselineGroups:
        baseline?.mas.map(
          (m) => `${MUSCLE_GROUP_LABELS[m.muscleGroup]} (${SIDE_LABELS[m.side].toLowerCase()})`,
        ) ?? [],
      choices: observationChoices(
        rules,
        bolus.observations.map((o) => o.hour),
      ),
      positiveAtHour: rules.positiveAtHour,
      values,
      ...errorContext(errors, OBSERVATION_HREFS),
    });
  };

  return async (app) => {
    await app.register(testDoseOverridePageRoutes(deps));

    app.get<PatientParams>(
      '/patients/:patientId/test-doses',
      { config: { access: read } },
      async (request, reply) => {
        const role = roleOf(request);
        const { patient, episodes, overrides } = await patientTestDoses(
          svc,
          actorOf(request),
          request.params.patientId,
        );
        const open = episodes.find((e) => e.episode.state === 'open');
        const done = (request.query as Record<string, string | undefined>).done;
        return reply.page('pages/test-doses/list.njk', {
          title: 'Test doses',
          patient,
          episodes: episodeListRows(episodes, deps.config.timeZone),
          overrides: overrideRows(overrides, deps.config.timeZone),
          openEpisodeId: open?.episode.id ?? null,
          canStart: roleHasPermission(role, 'testdose:record') && !open,
          canOverride: roleHasPermission(role, 'assessment:decide'),
          hasAvailableOverride: overrides.some((o) => o.state === 'available'),
          notice: done ? (NOTICES[done] ?? null) : null,
        });
      },
    );

    app.get<PatientParams>(
      '/patients/:patientId/test-doses/new',
      { config: { access: record } },
      async (request, reply) => {
        const open = await findOpenEpisodeForPatient(svc.db, request.params.patientId);
        if (open) {
          return reply.redirect(episodeUrl(open.id), 303);
        }
        return renderPreChecks(
          reply,
          request,
          { patientId: request.params.patientId, episode: null },
          200,
          {},
        );
      },
    );

    app.post<PatientParams>(
      '/patients/:patientId/test-doses',
      { config: { access: record } },
      async (request, reply) => {
        const { patientId } = request.params;
        const { raw, formErrors } = preChecksFromForm(request.body);
        let errors: FieldError[] = formErrors;
        if (errors.length === 0) {
          try {
            const d = await createEpisode(svc, actorOf(request), patientId, raw);
            return await reply.redirect(episodeUrl(d.episode.id, 'created'), 303);
          } catch (err) {
            errors = fieldErrorsOf(formError(err), 'goals');
          }
        }
        return renderPreChecks(
          reply,
          request,
          { patientId, episode: null },
          400,
          preCheckFormValues(request.body),
          errors,
        );
      },
    );

    app.get<EpisodeParams>('/test-doses/:id', { config: { access: read } }, async (request, reply) => {
      const detail = await viewEpisode(svc, actorOf(request), request.params.id);
      const done = (request.query as Record<string, string | undefined>).done;
      return renderShow(reply, roleOf(request), detail, done ? { notice: done } : {});
    });

    app.get<EpisodeParams>(
      '/test-doses/:id/pre-checks',
      { config: { access: record } },
      async (request, reply) => {
        const detail = await viewEpisode(svc, actorOf(request), request.params.id, 'pre-checks-form');
        if (detail.episode.state !== 'open') {
          return reply.redirect(episodeUrl(detail.episode.id), 303);
        }
        return renderPreChecks(
          reply,
          request,
          { patientId: detail.patient.id, episode: detail },
          200,
          preCheckValues(detail.episode.preChecks),
        );
      },
    );

    app.post<EpisodeParams>(
      '/test-doses/:id/pre-checks',
      { config: { access: record } },
      async (request, reply) => {
        const { raw, formErrors } = preChecksFromForm(request.body);
        let errors: FieldError[] = formErrors;
        if (errors.length === 0) {
          try {
            await updatePreChecks(svc, actorOf(request), request.params.id, raw);
            return await reply.redirect(episodeUrl(request.params.id, 'pre-checks'), 303);
          } catch (err) {
            errors = fieldErrorsOf(formError(err), 'goals');
          }
        }
        const detail = await viewEpisode(svc, actorOf(request), request.params.id, 'pre-checks-form');
        return renderPreChecks(
          reply,
          request,
          { patientId: detail.patient.id, episode: detail },
          400,
          preCheckFormValues(request.body),
          errors,
        );
      },
    );

    app.get<EpisodeParams>(
      '/test-doses/:id/boluses/new',
      { config: { access: prescribe } },
      async (request, reply) => {
        const detail = await viewEpisode(svc, actorOf(request), request.params.id, 'bolus-form');
        if (!detail.plan) {
          return reply.redirect(episodeUrl(detail.episode.id), 303);
        }
        return renderBolus(
          reply,
          detail,
          200,
          bolusPrefill(detail.plan.ladderDoseMcg, rules, svc.clock.now().toISOString(), deps.config.timeZone),
        );
      },
    );

    app.post<EpisodeParams>(
      '/test-doses/:id/boluses',
      { config: { access: prescribe } },
      async (request, reply) => {
        const actor = actorOf(request);
        const previous = (await listBolusesForEpisode(svc.db, request.params.id)).at(-1);
        const { raw, formErrors } = bolusFromForm(request.body, {
          rules,
          hardLimits: deps.config.pumpRules.hardLimits,
          timeZone: deps.config.timeZone,
          now: svc.clock.now().toISOString(),
          previousDoseMcg: previous?.doseMcg ?? null,
          giver: { displayName: requireAuth(request).user.displayName, username: actor.username },
        });
        let errors: FieldError[] | null = formErrors;
        if (!errors) {
          try {
            await recordBolus(svc, actor, request.params.id, raw);
            return await reply.redirect(episodeUrl(request.params.id, 'bolus'), 303);
          } catch (err) {
            errors = fieldErrorsOf(formError(err), 'doseMcg');
          }
        }
        // Shown again with what was entered; nothing was stored.
        const detail = await viewEpisode(svc, actor, request.params.id, 'bolus-form');
        return renderBolus(reply, detail, 400, bolusFormValues(request.body), errors);
      },
    );

    app.get<BolusParams>(
      '/test-doses/:id/boluses/:bolusId/observations/new',
      { config: { access: record } },
      async (request, reply) => {
        const detail = await viewEpisode(svc, actorOf(request), request.params.id, 'observation-form');
        const bolus = detail.boluses.find((b) => b.id === request.params.bolusId);
        if (bolus && (detail.episode.state !== 'open' || bolus.result !== null)) {
          // Observations end with the result; the episode page says so.
          return reply.redirect(`${episodeUrl(detail.episode.id)}#bolus-${bolus.id}`, 303);
        }
        const hour = (request.query as Record<string, string | undefined>).hour;
        return renderObservation(reply, detail, request.params.bolusId, 200, {
          hour: hour ?? '',
          sideEffects: [],
        });
      },
    );

    app.post<BolusParams>(
      '/test-doses/:id/boluses/:bolusId/observations',
      { config: { access: record } },
      async (request, reply) => {
        const actor = actorOf(request);
        const { id, bolusId } = request.params;
        let errors: FieldError[];
        try {
          await recordObservation(svc, actor, id, bolusId, observationFromForm(request.body));
          return await reply.redirect(`${episodeUrl(id, 'observation')}#bolus-${bolusId}`, 303);
        } catch (err) {
          errors = observationFormErrors(fieldErrorsOf(formError(err), 'hour'), request.body);
        }
        const detail = await viewEpisode(svc, actor, id, 'observation-form');
        return renderObservation(reply, detail, bolusId, 400, observationFormValues(request.body), errors);
      },
    );

    app.post<BolusParams>(
      '/test-doses/:id/boluses/:bolusId/result',
      { config: { access: prescribe } },
      async (request, reply) => {
        const actor = actorOf(request);
        const { id, bolusId } = request.params;
        let errors: FieldError[];
        try {
          await confirmResult(svc, actor, id, bolusId, resultFromForm(request.body));
          return await reply.redirect(episodeUrl(id, 'result'), 303);
        } catch (err) {
          errors = fieldErrorsOf(formError(err), 'result');
        }
        const detail = await viewEpisode(svc, actor, id);
        return renderShow(reply, roleOf(request), detail, {
          status: 400,
          errors,
          values: resultFromFormValues(request.body),
        });
      },
    );

    app.get<EpisodeParams>(
      '/test-doses/:id/abandon',
      { config: { access: record } },
      async (request, reply) => {
        const detail = await viewEpisode(svc, actorOf(request), request.params.id, 'abandon-form');
        if (detail.episode.state !== 'open') {
          return reply.redirect(episodeUrl(detail.episode.id), 303);
        }
        return reply.page('pages/test-doses/abandon.njk', {
          title: 'Abandon the test dose',
          patient: detail.patient,
          episodeId: detail.episode.id,
          values: {},
        });
      },
    );

    app.post<EpisodeParams>(
      '/test-doses/:id/abandon',
      { config: { access: record } },
      async (request, reply) => {
        const actor = actorOf(request);
        let errors: FieldError[];
        try {
          await abandonEpisode(svc, actor, request.params.id, abandonFromForm(request.body));
          return await reply.redirect(episodeUrl(request.params.id, 'abandoned'), 303);
        } catch (err) {
          errors = fieldErrorsOf(formError(err), 'reason');
        }
        const detail = await viewEpisode(svc, actor, request.params.id, 'abandon-form');
        return reply.status(400).page('pages/test-doses/abandon.njk', {
          title: 'Abandon the test dose',
          patient: detail.patient,
          episodeId: detail.episode.id,
          values: abandonFromForm(request.body),
          ...errorContext(errors),
        });
      },
    );
  };
}
