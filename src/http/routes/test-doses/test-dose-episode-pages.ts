import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import { localDateAndTime } from '../../../domain/test-dose-time.ts';
import { datePartsOf, formFields } from '../form.ts';
import { instantBoxes, instantFromForm } from './test-dose-bedside-form.ts';
import {
  abandonFromForm,
  fieldErrorsOf,
  formError,
  preCheckFormValues,
  preChecksFromForm,
  preCheckValues,
} from './test-dose-form.ts';
import { overrideRows } from './test-dose-gate-view.ts';
import {
  actorOf,
  episodeUrl,
  noticeOf,
  renderAbandon,
  renderPreChecks,
  renderShow,
  roleOf,
} from './test-dose-page-render.ts';
import { episodeListRows } from './test-dose-view.ts';

type PatientParams = { Params: { patientId: string } };
type EpisodeParams = { Params: { id: string } };

/**
 * When the screening started, for a test dose recorded afterwards: left empty, it is now; else
 * the boxes must make a London time.
 */
function startedAtFromForm(
  body: unknown,
  timeZone: string,
): { readonly instant: string | null } | { readonly error: FieldError } {
  const f = formFields(body);
  const boxes = instantBoxes(f, 'startedAt');
  if (Object.values(boxes).every((v) => v.trim() === '')) {
    return { instant: null };
  }
  return instantFromForm(f, 'startedAt', 'the test dose started', timeZone);
}

/**
 * The episode's pages: a patient's episodes and overrides, a new episode with its pre-checks
 * (the start page, behind the bedside gate), the episode itself, its pre-checks again, and
 * abandoning it.
 */
export function testDoseEpisodePageRoutes(deps: RouteDeps): FastifyPluginAsync {
  const testDoses = deps.services.testDoses;
  const read = { permission: 'patient:read' } as const;
  const record = { permission: 'testdose:record' } as const;

  return async (app) => {
    app.get<PatientParams>(
      '/patients/:patientId/test-doses',
      { config: { access: read } },
      async (request, reply) => {
        const role = roleOf(request);
        const { patient, episodes, overrides } = await testDoses.forPatient(
          actorOf(request),
          request.params.patientId,
        );
        const open = episodes.find((e) => e.episode.state === 'open');
        return reply.page('pages/test-doses/list.njk', {
          title: 'Test doses',
          patient,
          episodes: episodeListRows(episodes, deps.config.timeZone),
          overrides: overrideRows(overrides, deps.config.timeZone),
          openEpisodeId: open?.episode.id ?? null,
          canStart: roleHasPermission(role, 'testdose:record') && !open,
          canOverride: roleHasPermission(role, 'assessment:decide'),
          hasAvailableOverride: overrides.some((o) => o.state === 'available'),
          notice: noticeOf(request),
        });
      },
    );

    app.get<PatientParams>(
      '/patients/:patientId/test-doses/new',
      { config: { access: record } },
      async (request, reply) => {
        const open = await testDoses.openEpisodeId(request.params.patientId);
        if (open) {
          return reply.redirect(episodeUrl(open), 303);
        }
        const target = { patientId: request.params.patientId, episode: null };
        return renderPreChecks(deps, reply, request, target, 200, {});
      },
    );

    app.post<PatientParams>(
      '/patients/:patientId/test-doses',
      { config: { access: record } },
      async (request, reply) => {
        const { patientId } = request.params;
        const { raw, formErrors } = preChecksFromForm(request.body);
        const started = startedAtFromForm(request.body, deps.config.timeZone);
        let errors: FieldError[] = [...formErrors, ...('error' in started ? [started.error] : [])];
        if (errors.length === 0) {
          try {
            const startedAt = 'instant' in started ? started.instant : null;
            const d = await testDoses.start(actorOf(request), patientId, { ...raw, startedAt });
            return await reply.redirect(episodeUrl(d.episode.id, 'created'), 303);
          } catch (err) {
            errors = fieldErrorsOf(formError(err), 'goals');
          }
        }
        const values = preCheckFormValues(request.body);
        return renderPreChecks(deps, reply, request, { patientId, episode: null }, 400, values, errors);
      },
    );

    app.get<EpisodeParams>('/test-doses/:id', { config: { access: read } }, async (request, reply) => {
      const detail = await testDoses.view(actorOf(request), request.params.id);
      return renderShow(deps, reply, roleOf(request), detail, { notice: noticeOf(request) });
    });

    app.get<EpisodeParams>(
      '/test-doses/:id/pre-checks',
      { config: { access: record } },
      async (request, reply) => {
        const detail = await testDoses.view(actorOf(request), request.params.id, 'pre-checks-form');
        if (detail.episode.state !== 'open') {
          return reply.redirect(episodeUrl(detail.episode.id), 303);
        }
        const target = { patientId: detail.patient.id, episode: detail };
        const local = localDateAndTime(detail.episode.startedAt, deps.config.timeZone);
        const values = {
          ...preCheckValues(detail.episode.preChecks),
          ...Object.fromEntries(
            Object.entries({ ...datePartsOf(local.date), time: local.time }).map(([k, v]) => [
              `startedAt-${k}`,
              v,
            ]),
          ),
        };
        return renderPreChecks(deps, reply, request, target, 200, values);
      },
    );

    app.post<EpisodeParams>(
      '/test-doses/:id/pre-checks',
      { config: { access: record } },
      async (request, reply) => {
        const { raw, formErrors } = preChecksFromForm(request.body);
        const started = startedAtFromForm(request.body, deps.config.timeZone);
        let errors: FieldError[] = [...formErrors, ...('error' in started ? [started.error] : [])];
        if (errors.length === 0) {
          try {
            const startedAt = 'instant' in started ? started.instant : null;
            await testDoses.updatePreChecks(actorOf(request), request.params.id, { ...raw, startedAt });
            return await reply.redirect(episodeUrl(request.params.id, 'pre-checks'), 303);
          } catch (err) {
            errors = fieldErrorsOf(formError(err), 'goals');
          }
        }
        const detail = await testDoses.view(actorOf(request), request.params.id, 'pre-checks-form');
        const target = { patientId: detail.patient.id, episode: detail };
        const values = preCheckFormValues(request.body);
        return renderPreChecks(deps, reply, request, target, 400, values, errors);
      },
    );

    app.get<EpisodeParams>(
      '/test-doses/:id/abandon',
      { config: { access: record } },
      async (request, reply) => {
        const detail = await testDoses.view(actorOf(request), request.params.id, 'abandon-form');
        if (detail.episode.state !== 'open') {
          return reply.redirect(episodeUrl(detail.episode.id), 303);
        }
        return renderAbandon(reply, detail, 200, {});
      },
    );

    app.post<EpisodeParams>(
      '/test-doses/:id/abandon',
      { config: { access: record } },
      async (request, reply) => {
        const actor = actorOf(request);
        let errors: FieldError[];
        try {
          await testDoses.abandon(actor, request.params.id, abandonFromForm(request.body));
          return await reply.redirect(episodeUrl(request.params.id, 'abandoned'), 303);
        } catch (err) {
          errors = fieldErrorsOf(formError(err), 'reason');
        }
        const detail = await testDoses.view(actor, request.params.id, 'abandon-form');
        return renderAbandon(reply, detail, 400, abandonFromForm(request.body), errors);
      },
    );
  };
}
