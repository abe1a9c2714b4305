import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { AppError } from '../../../services/app-error.ts';
import { dateIn } from '../../../services/clock.ts';
import { auditListView } from '../../../services/audit-service.ts';
import {
  closeIntakeItem,
  uploadEmail,
  viewIntakeItem,
  type IntakeItemDetail,
} from '../../../services/intake-service.ts';
import { createReferral, today, type PatientRef } from '../../../services/referral-service.ts';
import { countIntakeItems, listIntakeItems, type IntakeState } from '../../../storage/intake.repository.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
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
import { referralServiceDeps, uploadedFile } from './referral-pages.ts';

const VIEWS: Readonly<Record<IntakeState, string>> = {
  new: 'To confirm',
  converted: 'Made into referrals',
  closed: 'Closed as not a referral',
};

function londonDate(iso: string | null, timeZone: string): string | null {
  if (!iso) {
    return null;
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : dateIn(d, timeZone);
}

export function intakeRoutes(deps: AppDeps): FastifyPluginAsync {
  const svc = referralServiceDeps(deps);
  const read = { permission: 'referral:read' } as const;
  const write = { permission: 'referral:write' } as const;

  /** The confirm form filled in from the email: sender, date, text and the patient it names. */
  const prefill = (detail: IntakeItemDetail): Record<string, unknown> => {
    const item = detail.item;
    return {
      ...referralFormPrefill({
        source: 'email',
        receivedOn: londonDate(item.sentAt ?? item.receivedAt, deps.config.timeZone),
        referrerName: item.fromName,
        referrerEmail: item.fromAddress,
        reason: (item.bodyText ?? '').trim().slice(0, 5000),
        nhsNumber: detail.unmatched[0] ?? '',
      }),
      patientChoice: detail.matches.length === 1 ? detail.matches[0]?.id : undefined,
    };
  };

  const renderList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    view: IntakeState,
    errors: readonly FieldError[] = [],
    status = 200,
  ) => {
    const items = await listIntakeItems(svc.db, view);
    return reply.status(status).page('pages/intake/list.njk', {
      title: 'Email referrals',
      view,
      views: Object.entries(VIEWS).map(([value, text]) => ({ value, text, current: value === view })),
      items,
      newCount: await countIntakeItems(svc.db, 'new'),
      mailboxConfigured: deps.config.imap !== null,
      canWrite: roleHasPermission(requireAuth(request).user.role, 'referral:write'),
      ...errorContext(errors),
    });
  };

  const renderItem = async (
    request: FastifyRequest,
    reply: FastifyReply,
    detail: IntakeItemDetail,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
    status = 200,
    extra: Record<string, unknown> = {},
  ) => {
    const item = detail.item;
    return reply.status(status).page('pages/intake/show.njk', {
      title: item.subject ? `Email: ${item.subject}` : 'Email referral',
      ...detail,
      values,
      choices: referralChoices,
      canWrite: roleHasPermission(requireAuth(request).user.role, 'referral:write'),
      ...errorContext(errors, { ...REFERRAL_HREFS, patientChoice: 'patientChoice' }),
      ...extra,
    });
  };

  return async (app) => {
    app.get('/intake', { config: { access: read } }, async (request, reply) => {
      const raw = (request.query as Record<string, unknown>).view;
      const view = typeof raw === 'string' && raw in VIEWS ? (raw as IntakeState) : 'new';
      await auditListView(svc.db, deps.clock, actorFor(requireAuth(request), request.id), { intake: view });
      return renderList(request, reply, view);
    });

    app.post('/intake/upload', { config: { access: write } }, async (request, reply) => {
      try {
        const file = uploadedFile(request.body, 'file', deps.config.uploadMaxBytes);
        const { item, duplicate } = await uploadEmail(svc, actorFor(requireAuth(request), request.id), file);
        return await reply.redirect(`/intake/${item.id}${duplicate ? '?duplicate=1' : ''}`, 303);
      } catch (err) {
        if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
          return renderList(request, reply, 'new', err.fieldErrors, 400);
        }
        throw err;
      }
    });

    app.get<{ Params: { id: string } }>(
      '/intake/:id',
      { config: { access: read } },
      async (request, reply) => {
        const detail = await viewIntakeItem(
          svc,
          actorFor(requireAuth(request), request.id),
          request.params.id,
        );
        return renderItem(request, reply, detail, prefill(detail), [], 200, {
          duplicate: formFields(request.query).duplicate === '1',
        });
      },
    );

    app.post<{ Params: { id: string } }>(
      '/intake/:id/confirm',
      { config: { access: write } },
      async (request, reply) => {
        const actor = actorFor(requireAuth(request), request.id);
        const f = formFields(request.body);
        const values = { ...referralFormValues(request.body), patientChoice: f.patientChoice };
        const { raw, formErrors } = referralFromForm(request.body, today(svc));
        const errors: FieldError[] = [...(formErrors ?? [])];
        let patient: PatientRef | null = null;
        if (f.patientChoice && f.patientChoice !== 'other') {
          patient = { patientId: f.patientChoice };
        } else if ((f.nhsNumber ?? '').trim() !== '') {
          patient = { nhsNumber: f.nhsNumber ?? '' };
        } else {
          errors.unshift(
            f.patientChoice === 'other'
              ? { field: 'nhsNumber', message: "Enter the patient's NHS number" }
              : { field: 'patientChoice', message: 'Select the patient this referral is for' },
          );
        }
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
          const referral = await createReferral(
            svc,
            actor,
            patient,
            { ...raw, source: 'email' },
            {
              intakeItemId: request.params.id,
              version,
            },
          );
          return await reply.redirect(`/referrals/${referral.id}?created=1`, 303);
        } catch (err) {
          if (
            err instanceof AppError &&
            ['VALIDATION_FAILED', 'DUPLICATE_UBRN', 'INVALID_STATE', 'STALE_EDIT'].includes(err.code)
          ) {
            const detail = await viewIntakeItem(svc, actor, request.params.id);
            const list =
              err.fieldErrors.length > 0 ? err.fieldErrors : [{ field: 'form', message: err.message }];
            const unknownPatient = list.some((e) => e.field === 'nhsNumber' && /Register/.test(e.message));
            return renderItem(request, reply, detail, values, list, err.status, {
              registerPatientHref: unknownPatient ? '/patients/new' : null,
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
          await closeIntakeItem(svc, actor, request.params.id, formVersion(f) ?? 0, f.closedReason ?? '');
          return await reply.redirect('/intake', 303);
        } catch (err) {
          if (err instanceof AppError && ['VALIDATION_FAILED', 'STALE_EDIT'].includes(err.code)) {
            const detail = await viewIntakeItem(svc, actor, request.params.id);
            const list =
              err.fieldErrors.length > 0
                ? err.fieldErrors
                : [{ field: 'closedReason', message: err.message }];
            // The confirm form on the same page is shown again as it first was.
            return renderItem(
              request,
              reply,
              detail,
              { ...prefill(detail), closedReason: f.closedReason },
              list,
              err.status,
            );
          }
          throw err;
        }
      },
    );
  };
}
