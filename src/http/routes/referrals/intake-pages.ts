import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { formatNhsNumber } from '../../../domain/nhs-number.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import { AppError } from '../../../services/app-error.ts';
import { dateIn } from '../../../services/clock.ts';
import type { IntakeItemDetail } from '../../../services/intake-service.ts';
import type { IntakeList } from '../../../services/referral-lists-service.ts';
import type { PatientRef } from '../../../services/referral-service.ts';
import type { IntakeState } from '../../../storage/intake.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields, formVersion } from '../form.ts';
import {
  REFERRAL_HREFS,
  referralChoices,
  referralFormPrefill,
  referralFormValues,
  referralFromForm,
} from './referral-form.ts';
import { uploadedFile } from './referral-uploads.ts';

const VIEWS: Readonly<Record<IntakeState, string>> = {
  new: 'To confirm',
  converted: 'Made into referrals',
  closed: 'Closed as not a referral',
};

const read = { permission: 'referral:read' } as const;
const write = { permission: 'referral:write' } as const;

function londonDate(iso: string | null, timeZone: string): string | null {
  if (!iso) {
    return null;
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : dateIn(d, timeZone);
}

/** The confirm form filled in from the email: sender, date, text and the patient it names. */
function prefill(detail: IntakeItemDetail, timeZone: string): Record<string, unknown> {
  const item = detail.item;
  return {
    ...referralFormPrefill({
      source: 'email',
      receivedOn: londonDate(item.sentAt ?? item.receivedAt, timeZone),
      referrerName: item.fromName,
      referrerEmail: item.fromAddress,
      reason: (item.bodyText ?? '').trim().slice(0, 5000),
      // Shown as people read and type it (3-3-4); the service accepts it with spaces.
      nhsNumber: detail.unmatched[0] ? formatNhsNumber(detail.unmatched[0]) : '',
    }),
    patientChoice: detail.matches.length === 1 ? detail.matches[0]?.id : undefined,
  };
}

const canWrite = (request: FastifyRequest) =>
  roleHasPermission(requireAuth(request).user.role, 'referral:write');

function renderList(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  view: IntakeState,
  list: IntakeList,
  errors: readonly FieldError[] = [],
  status = 200,
) {
  return reply.status(status).page('pages/intake/list.njk', {
    title: 'Email referrals',
    view,
    views: Object.entries(VIEWS).map(([value, text]) => ({ value, text, current: value === view })),
    items: list.items,
    newCount: list.newCount,
    mailboxConfigured: deps.config.imap !== null,
    canWrite: canWrite(request),
    ...errorContext(errors),
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function renderItem(
  request: FastifyRequest,
  reply: FastifyReply,
  detail: IntakeItemDetail,
  values: Record<string, unknown>,
  errors: readonly FieldError[] = [],
  status = 200,
  extra: Record<string, unknown> = {},
) {
  const item = detail.item;
  return reply.status(status).page('pages/intake/show.njk', {
    title: item.subject ? `Email: ${item.subject}` : 'Email referral',
    ...detail,
    values,
    choices: referralChoices,
    canWrite: canWrite(request),
    ...errorContext(errors, { ...REFERRAL_HREFS, patientChoice: 'patientChoice' }),
    ...extra,
  });
}

/** The patient the confirm form names, or the problems that stop it naming one. */
function patientFromForm(f: Record<string, string>): { patient: PatientRef | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let patient: PatientRef | null = null;
  if (f.patientChoice && f.patientChoice !== 'other') {
    patient = { patientId: f.patientChoice };
  } else if ((f.nhsNumber ?? '').trim() !== '') {
    patient = { nhsNumber: f.nhsNumber ?? '' };
  } else {
    errors.push(
      f.patientChoice === 'other'
        ? { field: 'nhsNumber', message: "Enter the patient's NHS number" }
        : { field: 'patientChoice', message: 'Select the patient this referral is for' },
    );
  }
  return { patient, errors };
}

/** The intake lists, and an email file (.eml or Outlook .msg) uploaded into the intake. */
function intakeListRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const referrals = deps.services.referrals;

  app.get('/intake', { config: { access: read } }, async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).view;
    const view = typeof raw === 'string' && raw in VIEWS ? (raw as IntakeState) : 'new';
    const list = await referrals.viewIntakeList(actorFor(requireAuth(request), request.id), view);
    return renderList(deps, request, reply, view, list);
  });

  app.post('/intake/upload', { config: { access: write } }, async (request, reply) => {
    try {
      const file = uploadedFile(request.body, 'file', deps.config.uploadMaxBytes);
      const { item, duplicate } = await referrals.uploadEmail(
        actorFor(requireAuth(request), request.id),
        file,
      );
      return await reply.redirect(`/intake/${item.id}${duplicate ? '?duplicate=1' : ''}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
        return renderList(
          deps,
          request,
          reply,
          'new',
          await referrals.intakeList('new'),
          err.fieldErrors,
          400,
        );
      }
      throw err;
    }
  });
}

/** One email in the intake: shown, made into a referral, or closed as not one. */
function intakeItemRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const referrals = deps.services.referrals;

  app.get<{ Params: { id: string } }>('/intake/:id', { config: { access: read } }, async (request, reply) => {
    const detail = await referrals.viewEmail(actorFor(requireAuth(request), request.id), request.params.id);
    const query = formFields(request.query);
    return renderItem(request, reply, detail, prefill(detail, deps.config.timeZone), [], 200, {
      duplicate: query.duplicate === '1',
      // Back from registering the patient this email is about: say so and link to the record.
      registeredPatientId: UUID.test(query.registered ?? '') ? query.registered : null,
    });
  });

  app.post<{ Params: { id: string } }>(
    '/intake/:id/confirm',
    { config: { access: write } },
    async (request, reply) => {
      const actor = actorFor(requireAuth(request), request.id);
      const f = formFields(request.body);
      const values = { ...referralFormValues(request.body), patientChoice: f.patientChoice };
      const { raw, formErrors } = referralFromForm(request.body, referrals.today());
      const { patient, errors: patientErrors } = patientFromForm(f);
      const errors: FieldError[] = [...patientErrors, ...(formErrors ?? [])];
      if (!f.referrerGrade) {
        // Also checked by the service; asked here too so every problem shows at once.
        errors.push({
          field: 'referrerGrade',
          message: "Select the referrer's grade: consultant or another grade",
        });
      }
      const version = formVersion(f);
      try {
        if (errors.length > 0 || patient === null || version === null) {
          throw new AppError('VALIDATION_FAILED', 'There is a problem', { fieldErrors: errors });
        }
        const referral = await referrals.create(
          actor,
          patient,
          { ...raw, source: 'email' },
          { intakeItemId: request.params.id, version },
        );
        return await reply.redirect(`/referrals/${referral.id}?created=1`, 303);
      } catch (err) {
        if (
          err instanceof AppError &&
          ['VALIDATION_FAILED', 'DUPLICATE_UBRN', 'INVALID_STATE', 'STALE_EDIT'].includes(err.code)
        ) {
          const detail = await referrals.viewEmail(actor, request.params.id);
          const list =
            err.fieldErrors.length > 0 ? err.fieldErrors : [{ field: 'form', message: err.message }];
          const unknownPatient = list.some((e) => e.field === 'nhsNumber' && /Register/.test(e.message));
          return renderItem(request, reply, detail, values, list, err.status, {
            registerPatientHref: unknownPatient ? `/patients/new?intake=${request.params.id}` : null,
            existingReferralId: err.details.existingReferralId,
          });
        }
        throw err;
      }
    },
  );

  app.post<{ Params: { id: string } }>(
    '/intake/:id/close',
    { config: { access: write } },
    async (request, reply) => {
      const actor = actorFor(requireAuth(request), request.id);
      const f = formFields(request.body);
      try {
        await referrals.closeEmail(actor, request.params.id, formVersion(f) ?? 0, f.closedReason ?? '');
        return await reply.redirect('/intake', 303);
      } catch (err) {
        if (err instanceof AppError && ['VALIDATION_FAILED', 'STALE_EDIT'].includes(err.code)) {
          const detail = await referrals.viewEmail(actor, request.params.id);
          const list =
            err.fieldErrors.length > 0 ? err.fieldErrors : [{ field: 'closedReason', message: err.message }];
          // The confirm form on the same page is shown again as it first was.
          const values = { ...prefill(detail, deps.config.timeZone), closedReason: f.closedReason };
          return renderItem(request, reply, detail, values, list, err.status);
        }
        throw err;
      }
    },
  );
}

export function intakeRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    intakeListRoutes(app, deps);
    intakeItemRoutes(app, deps);
  };
}
