import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { MUSCLE_GROUP_LABELS, SIDE_LABELS } from '../../../domain/outcome-measures.ts';
import { testBolusMaxMcg } from '../../../domain/pump-rules.ts';
import { formatInstant } from '../../../domain/test-dose-time.ts';
import { roleHasPermission, type Role } from '../../../domain/roles.ts';
import { AppError } from '../../../services/app-error.ts';
import type { EpisodeDetail } from '../../../services/test-dose-detail.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import {
  BOLUS_HREFS,
  OBSERVATION_HREFS,
  observationChoices,
  RESULT_HREFS,
  resultChoices,
  routeChoices,
} from './test-dose-bedside-form.ts';
import { PRE_CHECK_HREFS } from './test-dose-form.ts';
import { gateView } from './test-dose-gate-view.ts';
import { formatMl } from './test-dose-bolus-view.ts';
import { episodeView } from './test-dose-view.ts';

/**
 * How the test-dose pages render: the episode, the pre-check (start) form, the bolus,
 * observation and abandon forms, each shown first empty and again with what was entered and
 * why it was refused. Shared by the episode pages and the bedside pages.
 */

/** The notices a page shows after a change, by the `done` query parameter. */
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

export const actorOf = (request: FastifyRequest) => actorFor(requireAuth(request), request.id);

export const roleOf = (request: FastifyRequest): Role => requireAuth(request).user.role;

export const episodeUrl = (id: string, notice?: string) =>
  `/test-doses/${id}${notice ? `?done=${notice}` : ''}`;

/** The notice for the request's `done` query parameter, or null. */
export function noticeOf(request: FastifyRequest): string | null {
  const done = (request.query as Record<string, string | undefined>).done;
  return done ? (NOTICES[done] ?? null) : null;
}

export interface ShowExtras {
  readonly status?: number;
  readonly errors?: readonly FieldError[];
  readonly values?: Record<string, unknown>;
  readonly notice?: string | null;
}

/** The episode page, with the result form's errors and values after a refusal. */
export function renderShow(
  deps: RouteDeps,
  reply: FastifyReply,
  role: Role,
  detail: EpisodeDetail,
  extra: ShowExtras = {},
) {
  return reply.status(extra.status ?? 200).page('pages/test-doses/show.njk', {
    title: 'Test dose',
    ...episodeView(detail, {
      rules: deps.config.pumpRules.testDose,
      timeZone: deps.config.timeZone,
      longEffectHours: deps.config.pumpRules.startDoseLongEffectHours,
      canRecord: roleHasPermission(role, 'testdose:record'),
      canPrescribe: roleHasPermission(role, 'dose:prescribe'),
      canRegisterPump: roleHasPermission(role, 'pump:manage'),
    }),
    values: extra.values ?? {},
    resultChoices,
    notice: extra.notice ?? null,
    ...errorContext(extra.errors ?? [], RESULT_HREFS),
  });
}

interface PreCheckTarget {
  readonly patientId: string;
  /** The open episode whose pre-checks are answered again; null for a new episode. */
  readonly episode: EpisodeDetail | null;
}

/** The patient, and for a new episode the bedside gate: what the test dose could start on. */
async function preCheckSubject(deps: RouteDeps, request: FastifyRequest, target: PreCheckTarget) {
  if (target.episode) {
    return { patient: target.episode.patient, gate: null };
  }
  const { patient, options } = await deps.services.testDoses.startOptions(actorOf(request), target.patientId);
  return { patient, gate: gateView(options, deps.config.timeZone) };
}

/** The pre-check form: the start page of a new episode, or an open one's pre-checks again. */
export async function renderPreChecks(
  deps: RouteDeps,
  reply: FastifyReply,
  request: FastifyRequest,
  target: PreCheckTarget,
  status: number,
  values: Record<string, unknown>,
  errors: readonly FieldError[] = [],
) {
  const { patient, gate } = await preCheckSubject(deps, request, target);
  return reply.status(status).page('pages/test-doses/pre-checks.njk', {
    title: target.episode ? 'Change the pre-checks' : 'Start a test dose',
    patient,
    episodeId: target.episode?.episode.id ?? null,
    gate,
    canOverride: roleHasPermission(roleOf(request), 'assessment:decide'),
    action: target.episode
      ? `/test-doses/${target.episode.episode.id}/pre-checks`
      : `/patients/${patient.id}/test-doses`,
    values: gate && values.assessmentId === undefined ? { ...values, assessmentId: gate.preselect } : values,
    ...errorContext(errors, PRE_CHECK_HREFS),
  });
}

/** The bolus form, with the ladder at the screening strength and the limits it is checked against. */
export function renderBolus(
  deps: RouteDeps,
  reply: FastifyReply,
  detail: EpisodeDetail,
  status: number,
  values: Record<string, unknown>,
  errors: readonly FieldError[] = [],
) {
  const rules = deps.config.pumpRules.testDose;
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
}

/** The observation form of one bolus, offering the hours not yet recorded. */
export function renderObservation(
  deps: RouteDeps,
  reply: FastifyReply,
  detail: EpisodeDetail,
  bolusId: string,
  status: number,
  values: Record<string, unknown>,
  errors: readonly FieldError[] = [],
) {
  const rules = deps.config.pumpRules.testDose;
  const bolus = detail.boluses.find((b) => b.id === bolusId);
  if (!bolus) {
    throw new AppError('NOT_FOUND', 'Bolus not found in this test dose');
  }
  const baseline = bolus.observations.find((o) => o.hour === 0);
  return reply.status(status).page('pages/test-doses/observation.njk', {
    title: 'Record an observation',
    patient: detail.patient,
    episodeId: detail.episode.id,
    bolus: {
      id: bolus.id,
      heading: `Bolus ${bolus.sequence}: ${bolus.doseMcg} mcg`,
      givenAt: formatInstant(bolus.givenAt, deps.config.timeZone),
    },
    toleranceMinutes: rules.observationToleranceMinutes,
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
}

/** The form that abandons an open episode with a reason. */
export function renderAbandon(
  reply: FastifyReply,
  detail: EpisodeDetail,
  status: number,
  values: Record<string, unknown>,
  errors: readonly FieldError[] = [],
) {
  return reply.status(status).page('pages/test-doses/abandon.njk', {
    title: 'Abandon the test dose',
    patient: detail.patient,
    episodeId: detail.episode.id,
    values,
    ...errorContext(errors),
  });
}
