import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { AppError } from '../../../services/app-error.ts';
import { viewPatient } from '../../../services/patient-service.ts';
import { recordOverride, testDoseStartOptions, withdrawOverride } from '../../../services/test-dose-service.ts';
import { findOverrideById } from '../../../storage/test-dose-overrides.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields } from '../form.ts';
import { fieldErrorsOf, formError } from './test-dose-form.ts';
import { testDoseServiceDeps } from './test-dose-pages.ts';
import { gateView } from './test-dose-view.ts';

type PatientParams = { Params: { patientId: string } };
type OverrideParams = { Params: { id: string } };

/**
 * The consultant's override of the test-dose gate: recorded with a reason on its own page
 * (which shows what it sets aside: each assessment and why it does not let a test dose start),
 * and withdrawn with a reason while unused. Both consultants only (assessment:decide).
 */
export function testDoseOverridePageRoutes(deps: AppDeps): FastifyPluginAsync {
  const svc = testDoseServiceDeps(deps);
  const decide = { permission: 'assessment:decide' } as const;
  const actorOf = (request: FastifyRequest) => actorFor(requireAuth(request), request.id);
  const listUrl = (patientId: string, notice: string) => `/patients/${patientId}/test-doses?done=${notice}`;

  const renderNew = async (
    reply: FastifyReply,
    request: FastifyRequest,
    patientId: string,
    status: number,
    values: Record<string, string>,
    errors: readonly FieldError[] = [],
  ) => {
    const patient = await viewPatient(
      { db: svc.db, clock: svc.clock, timeZone: deps.config.timeZone },
      actorOf(request),
      patientId,
    );
    const gate = gateView(
      await testDoseStartOptions(svc, actorOf(request), patient.id),
      deps.config.timeZone,
    );
    return reply.status(status).page('pages/test-doses/override.njk', {
      title: 'Record an override for a test dose',
      patient,
      gate,
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
          await recordOverride(svc, actorOf(request), patientId, { reason: f.reason ?? '' });
          return await reply.redirect(listUrl(patientId, 'override'), 303);
        } catch (err) {
          errors = fieldErrorsOf(formError(err), 'reason');
        }
        return renderNew(reply, request, patientId, 400, { reason: f.reason ?? '' }, errors);
      },
    );

    const renderWithdraw = async (
      reply: FastifyReply,
      request: FastifyRequest,
      overrideId: string,
      status: number,
      values: Record<string, string>,
      errors: readonly FieldError[] = [],
    ) => {
      const override = await findOverrideById(svc.db, overrideId);
      if (!override) {
        throw new AppError('NOT_FOUND', 'Override not found');
      }
      const patient = await viewPatient(
        { db: svc.db, clock: svc.clock, timeZone: deps.config.timeZone },
        actorOf(request),
        override.patientId,
      );
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
          const o = await withdrawOverride(svc, actorOf(request), request.params.id, {
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
