import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { requireAuth } from '../../access.ts';
import {
  bolusFormValues,
  bolusFromForm,
  bolusPrefill,
  observationFormErrors,
  observationFormValues,
  observationFromForm,
  observationPrefill,
  resultFromForm,
  resultFromFormValues,
} from './test-dose-bedside-form.ts';
import { fieldErrorsOf, formError } from './test-dose-form.ts';
import {
  actorOf,
  episodeUrl,
  renderBolus,
  renderObservation,
  renderShow,
  roleOf,
} from './test-dose-page-render.ts';

type EpisodeParams = { Params: { id: string } };
type BolusParams = { Params: { id: string; bolusId: string } };

/**
 * The bedside pages of an open episode: a bolus (prescribers only), the observations after it,
 * and its result (prescribers only), on the episode page's result form.
 */
export function testDoseBolusPageRoutes(deps: RouteDeps): FastifyPluginAsync {
  const testDoses = deps.services.testDoses;
  const rules = deps.config.pumpRules.testDose;
  const record = { permission: 'testdose:record' } as const;
  const prescribe = { permission: 'dose:prescribe' } as const;

  return async (app) => {
    app.get<EpisodeParams>(
      '/test-doses/:id/boluses/new',
      { config: { access: prescribe } },
      async (request, reply) => {
        const detail = await testDoses.view(actorOf(request), request.params.id, 'bolus-form');
        if (!detail.plan) {
          return reply.redirect(episodeUrl(detail.episode.id), 303);
        }
        const now = deps.clock.now().toISOString();
        const prefill = bolusPrefill(detail.plan.ladderDoseMcg, rules, now, deps.config.timeZone);
        return renderBolus(deps, reply, detail, 200, prefill);
      },
    );

    app.post<EpisodeParams>(
      '/test-doses/:id/boluses',
      { config: { access: prescribe } },
      async (request, reply) => {
        const actor = actorOf(request);
        const { raw, formErrors } = bolusFromForm(request.body, {
          rules,
          hardLimits: deps.config.pumpRules.hardLimits,
          timeZone: deps.config.timeZone,
          now: deps.clock.now().toISOString(),
          previousDoseMcg: await testDoses.lastBolusDoseMcg(request.params.id),
          giver: { displayName: requireAuth(request).user.displayName, username: actor.username },
        });
        let errors: FieldError[] | null = formErrors;
        if (!errors) {
          try {
            await testDoses.recordBolus(actor, request.params.id, raw);
            return await reply.redirect(episodeUrl(request.params.id, 'bolus'), 303);
          } catch (err) {
            errors = fieldErrorsOf(formError(err), 'doseMcg');
          }
        }
        // Shown again with what was entered; nothing was stored.
        const detail = await testDoses.view(actor, request.params.id, 'bolus-form');
        return renderBolus(deps, reply, detail, 400, bolusFormValues(request.body), errors);
      },
    );

    app.get<BolusParams>(
      '/test-doses/:id/boluses/:bolusId/observations/new',
      { config: { access: record } },
      async (request, reply) => {
        const detail = await testDoses.view(actorOf(request), request.params.id, 'observation-form');
        const bolus = detail.boluses.find((b) => b.id === request.params.bolusId);
        if (bolus && (detail.episode.state !== 'open' || bolus.result !== null)) {
          // Observations end with the result; the episode page says so.
          return reply.redirect(`${episodeUrl(detail.episode.id)}#bolus-${bolus.id}`, 303);
        }
        const hour = (request.query as Record<string, string | undefined>).hour;
        const now = deps.clock.now().toISOString();
        const values = observationPrefill(hour ?? '', now, deps.config.timeZone);
        return renderObservation(deps, reply, detail, request.params.bolusId, 200, values);
      },
    );

    app.post<BolusParams>(
      '/test-doses/:id/boluses/:bolusId/observations',
      { config: { access: record } },
      async (request, reply) => {
        const actor = actorOf(request);
        const { id, bolusId } = request.params;
        const { raw, formErrors } = observationFromForm(request.body, deps.config.timeZone);
        let errors: FieldError[] | null = formErrors;
        if (!errors) {
          try {
            await testDoses.recordObservation(actor, id, bolusId, raw);
            return await reply.redirect(`${episodeUrl(id, 'observation')}#bolus-${bolusId}`, 303);
          } catch (err) {
            errors = observationFormErrors(fieldErrorsOf(formError(err), 'hour'), request.body);
          }
        }
        const detail = await testDoses.view(actor, id, 'observation-form');
        const values = observationFormValues(request.body);
        return renderObservation(deps, reply, detail, bolusId, 400, values, errors);
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
          await testDoses.confirmResult(actor, id, bolusId, resultFromForm(request.body));
          return await reply.redirect(episodeUrl(id, 'result'), 303);
        } catch (err) {
          errors = fieldErrorsOf(formError(err), 'result');
        }
        const detail = await testDoses.view(actor, id);
        return renderShow(deps, reply, roleOf(request), detail, {
          status: 400,
          errors,
          values: resultFromFormValues(request.body),
        });
      },
    );
  };
}
