import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import {
  PRIORITIES,
  PRIORITY_LABELS,
  REDIRECT_METHOD_LABELS,
  REDIRECT_METHODS,
  TRIAGE_OUTCOME_LABELS,
  TRIAGE_OUTCOMES,
} from '../../../domain/triage.ts';
import { AppError } from '../../../services/app-error.ts';
import type { ReferralDetail } from '../../../services/referral-view-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields, formVersion } from '../form.ts';
import { referralPageData } from './referral-page-data.ts';

const triageItems = () => ({
  outcomes: TRIAGE_OUTCOMES.map((v) => ({ value: v, text: TRIAGE_OUTCOME_LABELS[v] })),
  priorities: PRIORITIES.map((v) => ({ value: v, text: PRIORITY_LABELS[v] })),
  redirectMethods: REDIRECT_METHODS.map((v) => ({ value: v, text: REDIRECT_METHOD_LABELS[v] })),
});

const triageTitle = (detail: ReferralDetail) =>
  detail.decisions.length > 0 ? 'Change the triage decision' : 'Triage the referral';

/** A consultant's triage of a referral: the form, and the decision with its letter. */
export function triageRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const referrals = deps.services.referrals;
  const triage = { permission: 'referral:triage' } as const;

  app.get<{ Params: { id: string } }>(
    '/referrals/:id/triage',
    { config: { access: triage } },
    async (request, reply) => {
      const auth = requireAuth(request);
      const detail = await referrals.view(actorFor(auth, request.id), request.params.id);
      return reply.page('pages/referrals/triage.njk', {
        title: triageTitle(detail),
        ...referralPageData(detail, auth.user.role, deps.config.smtp !== null),
        values: {},
        version: detail.referral.version,
        items: triageItems(),
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/referrals/:id/triage',
    { config: { access: triage } },
    async (request, reply) => {
      const auth = requireAuth(request);
      const f = formFields(request.body);
      const actor = actorFor(auth, request.id);
      try {
        const { decision } = await referrals.triage(actor, request.params.id, formVersion(f), {
          outcome: f.outcome,
          priority: f.priority || null,
          advice: f.advice,
          redirectTo: f.redirectTo,
          redirectSent: f.redirectSent,
          redirectMethod: f.redirectMethod,
          reason: f.reason,
        });
        return await reply.redirect(`/referrals/${request.params.id}?done=triaged-${decision.outcome}`, 303);
      } catch (err) {
        if (
          err instanceof AppError &&
          ['VALIDATION_FAILED', 'STALE_EDIT', 'INVALID_STATE'].includes(err.code)
        ) {
          const detail = await referrals.view(actor, request.params.id);
          // A refusal to make the letter is about the service or the patient's record, not the
          // outcome chosen: it is shown above the form.
          const field = err.reason?.startsWith('LETTER') ? 'form' : 'outcome';
          const errors = err.fieldErrors.length > 0 ? err.fieldErrors : [{ field, message: err.message }];
          return reply.status(err.status).page('pages/referrals/triage.njk', {
            title: triageTitle(detail),
            ...referralPageData(detail, auth.user.role, deps.config.smtp !== null),
            values: f,
            version: err.code === 'STALE_EDIT' ? detail.referral.version : formVersion(f),
            items: triageItems(),
            conflict: err.code === 'STALE_EDIT' ? err.message : null,
            ...errorContext(errors),
          });
        }
        throw err;
      }
    },
  );
}
