import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields } from '../form.ts';
import { fieldErrorsOf, formError } from './test-dose-form.ts';
import { gateView } from './test-dose-gate-view.ts';
import { actorOf } from './test-dose-page-render.ts';

type PatientParams = { Params: { patientId: string } };
type OverrideParams = { Params: { id: string } };

/**
 * The consultant's override of the test-dose gate: recorded with a reason on its own page
 * (which shows what it sets aside: each assessment and why it does not let a test dose start),
 * and withdrawn with a reason while unused. Both consultants only (assessment:decide).
 */
export function testDoseOverridePageRoutes(deps: RouteDeps): FastifyPluginAsync {
  const testDoses = deps.services.testDoses;
  const decide = { permission: 'assessment:decide' } as const;
  const listUrl = (patientId: string, notice: string) => `/patients/${patientId}/test-doses?done=${notice}`;

  const renderNew = async (
    reply: FastifyReply,
    request: FastifyRequest,
    patientId: string,
    status: number,
    values: Record<string, string>,
    errors: readonly FieldError[] = [],
  ) => {
    const { patient, options } = await testDoses.startOptions(actorOf(request), patientId);
    return reply.status(status).page('pages/test-doses/override.njk', {
      title: 'Record an override for a test dose',
      patient,
      gate: gateView(options, deps.config.timeZone),
      values,
      ...errorContext(errors),
    });
  };

  const renderWithdraw = async (
    reply: FastifyReply,
    request: FastifyRequest,
    overrideId: string,
    status: number,
    values: Record<string, string>,
    errors: readonly FieldError[] = [],
  ) => {
    const { override, patient } = await testDoses.viewOverride(actorOf(request), overrideId);
    if (override.state !== 'available' && errors.length === 0) {
      return reply.redirect(`/patients/${patient.id}/test-doses`, 303);
    }
    return reply.status(status).page('pages/test-doses/withdraw-override.njk', {
      title: 'Withdraw the override',
      patient,
      override,
      values,
      ...errorContext(errors),
    });
  };

  return async (app) => {
    app.get<PatientParams>(
      '/patients/:patientId/test-dose-overrides/new',
      { config: { access: decide } },
      async (request, reply) => renderNew(reply, request, request.params.patientId, 200, {}),
    );

    app.post<PatientParams>(
      '/patients/:patientId/test-dose-overrides',
      { config: { access: decide } },
      async (request, reply) => {
        const { patientId } = request.params;
        const f = formFields(request.body);
        let errors: FieldError[];
        try {
          await testDoses.recordOverride(actorOf(request), patientId, { reason: f.reason ?? '' });
          return await reply.redirect(listUrl(patientId, 'override'), 303);
        } catch (err) {
          errors = fieldErrorsOf(formError(err), 'reason');
        }
        return renderNew(reply, request, patientId, 400, { reason: f.reason ?? '' }, errors);
      },
    );

    app.get<OverrideParams>(
      '/test-dose-overrides/:id/withdraw',
      { config: { access: decide } },
      async (request, reply) => renderWithdraw(reply, request, request.params.id, 200, {}),
    );

    app.post<OverrideParams>(
      '/test-dose-overrides/:id/withdraw',
      { config: { access: decide } },
      async (request, reply) => {
        const f = formFields(request.body);
        let errors: FieldError[];
        try {
          const o = await testDoses.withdrawOverride(actorOf(request), request.params.id, {
            reason: f.reason ?? '',
          });
          return await reply.redirect(listUrl(o.patientId, 'override-withdrawn'), 303);
        } catch (err) {
          errors = fieldErrorsOf(formError(err), 'reason');
        }
        return renderWithdraw(reply, request, request.params.id, 400, { reason: f.reason ?? '' }, errors);
      },
    );
  };
}
