import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields, isPageError } from '../form.ts';
import {
  prescriptionFormErrors,
  prescriptionFormWarnings,
  prescriptionFromForm,
  type FormWarnings,
} from './prescription-form.ts';
import { programmeFormValues, PROGRAMME_HREFS } from './programme-form.ts';
import { pumpChoices } from './pump-forms.ts';
import { prescriptionPeople, prescriptionSummary } from './pump-view.ts';

type PumpParams = { Params: { pumpId: string } };

/** The prescription change form: old beside new, proposed for a second clinician to confirm. */
export function prescriptionPageRoutes(deps: RouteDeps): FastifyPluginAsync {
  const pumps = deps.services.pumps;
  const prescribe = { permission: 'dose:prescribe' } as const;

  const renderPrescriptionForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pumpId: string,
    status: number,
    values: Record<string, unknown> | null,
    errors: readonly FieldError[] = [],
    conflict: string | null = null,
    warnings: FormWarnings = { list: [], suggestions: {} },
  ) => {
    const o = await pumps.overview(actorFor(requireAuth(request), request.id), pumpId);
    return reply.status(status).page('pages/pumps/prescription-form.njk', {
      title: 'Change the prescription',
      patient: o.patient,
      pump: o.pump,
      model: o.model,
      active: o.active
        ? { ...prescriptionSummary(o.active), people: prescriptionPeople(o.active, o.names) }
        : null,
      pendingExists: o.pending !== null,
      values: values ?? {
        drug: o.active?.drug ?? 'baclofen',
        concentrationMcgPerMl: o.active ? String(o.active.concentrationMcgPerMl) : '',
        ...programmeFormValues(o.active?.programme ?? null, o.active?.phase ?? null, ''),
      },
      choices: pumpChoices,
      prefix: '',
      conflict,
      warnings: warnings.list,
      suggestions: warnings.suggestions,
      action: `/pumps/${o.pump.id}/prescriptions`,
      ...errorContext(errors, PROGRAMME_HREFS('')),
    });
  };

  return async (app) => {
    app.get<PumpParams>(
      '/pumps/:pumpId/prescriptions/new',
      { config: { access: prescribe } },
      async (request, reply) => renderPrescriptionForm(request, reply, request.params.pumpId, 200, null),
    );

    app.post<PumpParams>(
      '/pumps/:pumpId/prescriptions',
      { config: { access: prescribe } },
      async (request, reply) => {
        const { pumpId } = request.params;
        const { raw } = prescriptionFromForm(request.body);
        try {
          await pumps.proposePrescription(actorFor(requireAuth(request), request.id), pumpId, raw);
          return await reply.redirect(`/pumps/${pumpId}?done=proposed`, 303);
        } catch (err) {
          if (!isPageError(err)) {
            throw err;
          }
          const values = formFields(request.body);
          return err.code === 'VALIDATION_FAILED'
            ? renderPrescriptionForm(
                request,
                reply,
                pumpId,
                400,
                values,
                prescriptionFormErrors(err.fieldErrors, request.body),
                null,
                prescriptionFormWarnings(err.details.warnings, request.body),
              )
            : renderPrescriptionForm(request, reply, pumpId, err.status, values, [], err.message);
        }
      },
    );
  };
}
