import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import type { RefillFormContext } from '../../../services/refill-form-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { isPageError } from '../form.ts';
import { pumpChoices } from '../pumps/pump-forms.ts';
import { prescriptionSummary } from '../pumps/pump-view.ts';
import {
  complicationChoices,
  REFILL_HREFS,
  refillFormErrors,
  refillFormPrefill,
  refillFormValues,
  refillFromForm,
} from './refill-form.ts';
import { addRefillPageActions } from './refill-page-actions.ts';
import { refillPageRenderer } from './refill-view.ts';

type RefillParams = { Params: { refillId: string } };
type PumpParams = { Params: { pumpId: string } };

function renderForm(
  reply: FastifyReply,
  o: RefillFormContext,
  status: number,
  values: Record<string, unknown> | null,
  errors: readonly FieldError[] = [],
  conflict: string | null = null,
) {
  return reply.status(status).page('pages/refills/form.njk', {
    title: 'Record a refill',
    patient: o.patient,
    pump: o.pump,
    model: o.model,
    active: o.active ? prescriptionSummary(o.active) : null,
    awaitingCheck: o.awaitingCheck,
    values: values ?? refillFormPrefill(o.today, o.pump, o.active),
    choices: { ...pumpChoices, complications: complicationChoices },
    conflict,
    action: `/pumps/${o.pump.id}/refills`,
    ...errorContext(errors, REFILL_HREFS),
  });
}

/** Refill pages: record a refill, the refill record with its review, signature and amendments. */
export function refillRoutes(deps: RouteDeps): FastifyPluginAsync {
  const refills = deps.services.refills;
  const record = { permission: 'refill:record' } as const;
  const renderRefill = refillPageRenderer(deps);

  return async (app) => {
    app.get<PumpParams>(
      '/pumps/:pumpId/refills/new',
      { config: { access: record } },
      async (request, reply) => {
        const actor = actorFor(requireAuth(request), request.id);
        return renderForm(reply, await refills.openForm(actor, request.params.pumpId), 200, null);
      },
    );

    app.post<PumpParams>('/pumps/:pumpId/refills', { config: { access: record } }, async (request, reply) => {
      const { pumpId } = request.params;
      const actor = actorFor(requireAuth(request), request.id);
      // Read once, not audited: what is audited is the refill recorded, not the form shown again.
      const o = await refills.formContext(actor, pumpId);
      const { raw, formErrors } = refillFromForm(request.body, o.check);
      let errors: readonly FieldError[] | null = formErrors;
      let conflict: string | null = null;
      let status = 400;
      if (!errors) {
        try {
          const refill = await refills.record(actor, pumpId, raw);
          return await reply.redirect(`/refills/${refill.id}?done=recorded`, 303);
        } catch (err) {
          if (!isPageError(err)) {
            throw err;
          }
          if (err.code === 'VALIDATION_FAILED') {
            errors = refillFormErrors(err.fieldErrors, request.body);
          } else {
            errors = [];
            conflict = err.message;
            status = err.status;
          }
        }
      }
      // Shown again with what was entered; nothing was stored.
      return renderForm(reply, o, status, refillFormValues(request.body), errors, conflict);
    });

    app.get<RefillParams>(
      '/refills/:refillId',
      { config: { access: { permission: 'patient:read' } } },
      async (request, reply) => renderRefill(request, reply, request.params.refillId),
    );

    addRefillPageActions(app, deps, renderRefill);
  };
}
