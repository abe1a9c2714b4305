import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { AppError } from '../../../services/app-error.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields, formVersion } from '../form.ts';
import { referralDocumentRoutes } from './referral-document-pages.ts';
import {
  REFERRAL_HREFS,
  referralChoices,
  referralFormPrefill,
  referralFormValues,
  referralFromForm,
} from './referral-form.ts';
import { referralListRoutes } from './referral-list-pages.ts';
import { referralNotice } from './referral-notices.ts';
import { referralPageData, referralTitle } from './referral-page-data.ts';
import { uploadedFile } from './referral-uploads.ts';
import { triageRoutes } from './triage-pages.ts';

const read = { permission: 'referral:read' } as const;
const write = { permission: 'referral:write' } as const;

function renderForm(
  reply: FastifyReply,
  status: number,
  values: Record<string, unknown>,
  errors: readonly FieldError[] = [],
  extra: Record<string, unknown> = {},
) {
  return reply.status(status).page('pages/referrals/form.njk', {
    title: 'Add an e-RS referral',
    values,
    choices: referralChoices,
    action: '/referrals',
    ...errorContext(errors, REFERRAL_HREFS),
    ...extra,
  });
}

/** Recording an e-RS referral. */
function entryRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const referrals = deps.services.referrals;

  app.get('/referrals/new', { config: { access: write } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    return renderForm(
      reply,
      200,
      referralFormPrefill({
        source: 'e-rs',
        nhsNumber: typeof q.nhsNumber === 'string' ? q.nhsNumber : '',
        ersServiceName: deps.config.service.ersServiceName,
      }),
    );
  });

  app.post('/referrals', { config: { access: write } }, async (request, reply) => {
    const f = formFields(request.body);
    const values = referralFormValues(request.body);
    const { raw, formErrors } = referralFromForm(request.body, referrals.today());
    const nhsNumber = (f.nhsNumber ?? '').trim();
    const nhsError: FieldError[] =
      nhsNumber === '' ? [{ field: 'nhsNumber', message: "Enter the patient's NHS number" }] : [];
    if (formErrors || nhsError.length > 0) {
      return renderForm(reply, 400, values, [...nhsError, ...(formErrors ?? [])]);
    }
    try {
      const referral = await referrals.create(actorFor(requireAuth(request), request.id), { nhsNumber }, raw);
      return await reply.redirect(`/referrals/${referral.id}?created=1`, 303);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'VALIDATION_FAILED' || err.code === 'DUPLICATE_UBRN')) {
        const unknownPatient = err.fieldErrors.some(
          (e) => e.field === 'nhsNumber' && /Register/.test(e.message),
        );
        return renderForm(reply, err.status, values, err.fieldErrors, {
          existingReferralId: err.details.existingReferralId,
          registerPatientHref: unknownPatient ? '/patients/new' : null,
        });
      }
      throw err;
    }
  });
}

/** The referral page, shown again with `extra` (errors, what was typed) after a refused action. */
async function renderReferral(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  extra: Record<string, unknown>,
) {
  const auth = requireAuth(request);
  const id = (request.params as { id: string }).id;
  const detail = await deps.services.referrals.view(actorFor(auth, request.id), id);
  return reply.status(status).page('pages/referrals/show.njk', {
    title: referralTitle(detail),
    ...referralPageData(detail, auth.user.role, deps.config.smtp !== null),
    clockStart: deps.config.waiting.clockStart,
    ...extra,
  });
}

/** One referral: its page, clearing its "needs checking" mark, and attaching letters. */
function referralPageRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const referrals = deps.services.referrals;

  app.get<{ Params: { id: string } }>(
    '/referrals/:id',
    { config: { access: read } },
    async (request, reply) => {
      const q = formFields(request.query);
      return renderReferral(deps, request, reply, 200, {
        notice: referralNotice(q.created === '1' ? 'created' : q.done),
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/referrals/:id/check',
    { config: { access: { permission: 'referral:triage' } } },
    async (request, reply) => {
      const actor = actorFor(requireAuth(request), request.id);
      const f = formFields(request.body);
      try {
        await referrals.clearCheck(actor, request.params.id, formVersion(f), f.note ?? '');
        return await reply.redirect(`/referrals/${request.params.id}?done=check-cleared`, 303);
      } catch (err) {
        if (
          err instanceof AppError &&
          ['VALIDATION_FAILED', 'STALE_EDIT', 'INVALID_STATE'].includes(err.code)
        ) {
          const errors =
            err.fieldErrors.length > 0 ? err.fieldErrors : [{ field: 'note', message: err.message }];
          return renderReferral(deps, request, reply, err.status, {
            checkNote: f.note ?? '',
            ...errorContext(errors),
          });
        }
        throw err;
      }
    },
  );

  app.post<{ Params: { id: string } }>(
    '/referrals/:id/attachments',
    { config: { access: write } },
    async (request, reply) => {
      try {
        const file = uploadedFile(request.body, 'file', deps.config.uploadMaxBytes);
        await referrals.attachLetter(actorFor(requireAuth(request), request.id), request.params.id, file);
        return await reply.redirect(`/referrals/${request.params.id}?done=letter-attached`, 303);
      } catch (err) {
        if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
          return renderReferral(deps, request, reply, 400, errorContext(err.fieldErrors));
        }
        throw err;
      }
    },
  );
}

export function referralRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    referralListRoutes(app, deps);
    entryRoutes(app, deps);
    referralPageRoutes(app, deps);
    triageRoutes(app, deps);
    referralDocumentRoutes(app, deps);
  };
}
