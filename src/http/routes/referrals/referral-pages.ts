import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { UploadedFile } from '../../plugins/uploads.ts';
import type { AppDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { CANCEL_REASON_LABELS } from '../../../domain/appointment.ts';
import {
  AETIOLOGY_LABELS,
  CONDITION_LABELS,
  ORIGIN_LABELS,
  REFERRER_GRADE_LABELS,
  TREATMENT_LABELS,
} from '../../../domain/referral.ts';
import { checkReasonText, needsChecking, referralSourceLabel } from '../../../domain/referral-check.ts';
import { referralTimeline } from '../../../domain/referral-timeline.ts';
import { roleHasPermission, type Permission } from '../../../domain/roles.ts';
import { referralNotice } from './referral-notices.ts';
import {
  PRIORITIES,
  PRIORITY_LABELS,
  TRIAGE_OUTCOME_LABELS,
  TRIAGE_OUTCOMES,
} from '../../../domain/triage.ts';
import { formatUbrn } from '../../../domain/ubrn.ts';
import { waitStatusText } from '../../../domain/waiting-target.ts';
import { AppError, fileTooLarge } from '../../../services/app-error.ts';
import { auditListView } from '../../../services/audit-service.ts';
import { clearReferralCheck } from '../../../services/referral-check-service.ts';
import { attachLetter, readDocument } from '../../../services/referral-documents.ts';
import {
  createReferral,
  today,
  triageReferral,
  viewReferral,
  type ReferralDetail,
  type ReferralServiceDeps,
} from '../../../services/referral-service.ts';
import { listRecentReferrals, type ReferralState } from '../../../storage/referrals.repository.ts';
import { displayNames } from '../../../storage/users.repository.ts';
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

const STATE_LABELS: Readonly<Record<ReferralState, string>> = {
  'awaiting-triage': 'Waiting for triage',
  ...TRIAGE_OUTCOME_LABELS,
};

const DOCUMENT_LABELS: Readonly<Record<string, string>> = {
  'letter-acknowledgement': 'Acknowledgement letter (to the referrer)',
  'letter-advice': 'Advice letter (to the referrer)',
  'letter-appointment': 'Appointment letter (to the patient)',
  attachment: 'Attached document',
  'original-email': 'Original email message',
};

export function referralServiceDeps(deps: AppDeps): ReferralServiceDeps {
  return { db: deps.database.db, clock: deps.clock, config: deps.config };
}

function fileField(body: unknown, name: string): UploadedFile | null {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return v && typeof v === 'object' && 'content' in v ? (v as UploadedFile) : null;
}

/** The uploaded file, or the message that names the field when it was too big. */
export function uploadedFile(body: unknown, name: string, maxBytes: number): UploadedFile | null {
  const file = fileField(body, name);
  if (file?.truncated) {
    throw fileTooLarge(name, maxBytes);
  }
  return file;
}

/**
 * The Content-Disposition of a download. A header may carry only Latin-1, and a file name from
 * a referrer's email often has more ("Referral – Ann.pdf"), so such a name goes as UTF-8 in
 * `filename*` (RFC 6266, RFC 8187) with an ASCII stand-in in `filename` for older clients.
 */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  if (ascii === filename) {
    return `attachment; filename="${filename}"`;
  }
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Everything the referral page shows, including its timeline. */
export async function referralPageData(
  deps: AppDeps,
  detail: ReferralDetail,
  role: Parameters<typeof roleHasPermission>[0],
) {
  const { referral, patient, decisions, appointments, documents, emails } = detail;
  const names = await displayNames(deps.database.db, [
    referral.createdBy,
    referral.check?.clearedBy ?? '',
    ...documents.map((d) => d.createdBy ?? ''),
    ...appointments.flatMap((a) => [a.createdBy, a.cancelledBy ?? '', a.outcomeBy ?? '']),
  ]);
  const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  const timeline = referralTimeline({
    receivedOn: referral.receivedOn,
    sourceLabel: referralSourceLabel(referral),
    createdAt: referral.createdAt,
    createdBy: detail.createdByName,
    emailReadAt: detail.intakeItem?.receivedAt ?? null,
    checkCleared:
      referral.check?.clearedAt && referral.check.clearedNote !== null
        ? {
            at: referral.check.clearedAt,
            by: name(referral.check.clearedBy),
            note: referral.check.clearedNote,
          }
        : null,
    decisions: decisions.map((d) => ({ ...d, decidedBy: d.decidedByName })),
    documents: documents.map((d) => ({ ...d, createdBy: name(d.createdBy) })),
    emails: emails.map((e) => ({
      to: e.toAddress,
      purpose: e.purpose,
      state: e.state,
      sentAt: e.sentAt,
      createdAt: e.createdAt,
      lastError: e.lastError,
    })),
    appointments: appointments.map((a) => ({
      ...a,
      createdBy: name(a.createdBy) ?? 'Unknown',
      rebooked: a.rebookedFrom !== null,
      cancelledBy: name(a.cancelledBy),
      outcomeBy: name(a.outcomeBy),
    })),
  });
  const can = (p: Permission) => roleHasPermission(role, p);
  const booked = appointments.find((a) => a.state === 'booked') ?? null;
  const attended = appointments.some((a) => a.state === 'attended');
  const emailFor = (docId: string) => emails.find((e) => e.documentId === docId);
  return {
    referral,
    patient,
    decisions,
    latestDecision: decisions.at(-1) ?? null,
    appointments: appointments.map((a) => ({
      ...a,
      cancelReasonLabel: a.cancelReason ? CANCEL_REASON_LABELS[a.cancelReason] : null,
    })),
    booked,
    documents: documents.map((d) => ({
      ...d,
      label: DOCUMENT_LABELS[d.kind] ?? d.kind,
      email: emailFor(d.id) ?? null,
    })),
    timeline,
    wait: detail.wait,
    waitText: detail.wait ? waitStatusText(detail.wait) : null,
    targetNote: detail.targetNote?.text ?? null,
    stateLabel: STATE_LABELS[referral.state],
    sourceLabel: referralSourceLabel(referral),
    gradeLabel: referral.referrerGrade ? REFERRER_GRADE_LABELS[referral.referrerGrade] : null,
    check: referral.check
      ? {
          open: needsChecking(referral.check),
          text: checkReasonText(referral.check.reason, referral),
          clearedAt: referral.check.clearedAt,
          clearedByName: name(referral.check.clearedBy),
          clearedNote: referral.check.clearedNote,
        }
      : null,
    canClearCheck: can('referral:triage'),
    ubrn: referral.ubrn ? formatUbrn(referral.ubrn) : null,
    conditionsText: referral.conditions.map((c) => CONDITION_LABELS[c]).join(' and '),
    originLabel: ORIGIN_LABELS[referral.origin],
    aetiologyText:
      referral.aetiology === 'other'
        ? `Other: ${referral.aetiologyOther ?? ''}`
        : AETIOLOGY_LABELS[referral.aetiology],
    treatmentsText: referral.treatmentsTried.map((t) => TREATMENT_LABELS[t]).join(', '),
    priorityLabel: referral.priority ? PRIORITY_LABELS[referral.priority] : null,
    canTriage: can('referral:triage'),
    canBook: can('appointment:manage') && referral.state === 'accepted' && !booked && !attended,
    canManageBooking: can('appointment:manage'),
    canAttach: can('referral:write'),
    smtpConfigured: deps.config.smtp !== null,
  };
}

export function referralRoutes(deps: AppDeps): FastifyPluginAsync {
  const svc = referralServiceDeps(deps);
  const read = { permission: 'referral:read' } as const;
  const write = { permission: 'referral:write' } as const;
  const triage = { permission: 'referral:triage' } as const;

  const renderForm = (
    reply: FastifyReply,
    status: number,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
    extra: Record<string, unknown> = {},
  ) =>
    reply.status(status).page('pages/referrals/form.njk', {
      title: 'Add an e-RS referral',
      values,
      choices: referralChoices,
      action: '/referrals',
      ...errorContext(errors, REFERRAL_HREFS),
      ...extra,
    });

  return async (app) => {
    app.get('/referrals', { config: { access: read } }, async (request, reply) => {
      const raw = (request.query as Record<string, unknown>).state;
      const state = typeof raw === 'string' && raw in STATE_LABELS ? (raw as ReferralState) : null;
      const rows = await listRecentReferrals(svc.db, state, 200);
      await auditListView(svc.db, deps.clock, actorFor(requireAuth(request), request.id), {
        state,
        shown: rows.length,
      });
      return reply.page('pages/referrals/list.njk', {
        title: 'Referrals',
        state,
        states: Object.entries(STATE_LABELS).map(([value, text]) => ({
          value,
          text,
          selected: value === state,
        })),
        rows: rows.map((r) => ({
          ...r,
          stateLabel: STATE_LABELS[r.referral.state],
          needsCheck: needsChecking(r.referral.check),
        })),
        canWrite: roleHasPermission(requireAuth(request).user.role, 'referral:write'),
      });
    });

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
      const { raw, formErrors } = referralFromForm(request.body, today(svc));
      const nhsNumber = (f.nhsNumber ?? '').trim();
      const nhsError: FieldError[] =
        nhsNumber === '' ? [{ field: 'nhsNumber', message: "Enter the patient's NHS number" }] : [];
      if (formErrors || nhsError.length > 0) {
        return renderForm(reply, 400, values, [...nhsError, ...(formErrors ?? [])]);
      }
      try {
        const referral = await createReferral(
          svc,
          actorFor(requireAuth(request), request.id),
          { nhsNumber },
          raw,
        );
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

    app.get<{ Params: { id: string } }>(
      '/referrals/:id',
      { config: { access: read } },
      async (request, reply) => {
        const auth = requireAuth(request);
        const detail = await viewReferral(svc, actorFor(auth, request.id), request.params.id);
        const q = formFields(request.query);
        return reply.page('pages/referrals/show.njk', {
          title: `Referral for ${detail.patient.givenName} ${detail.patient.familyName}`,
          ...(await referralPageData(deps, detail, auth.user.role)),
          notice: referralNotice(q.created === '1' ? 'created' : q.done),
        });
      },
    );

    app.post<{ Params: { id: string } }>(
      '/referrals/:id/check',
      { config: { access: triage } },
      async (request, reply) => {
        const auth = requireAuth(request);
        const actor = actorFor(auth, request.id);
        const f = formFields(request.body);
        try {
          await clearReferralCheck(svc, actor, request.params.id, formVersion(f), f.note ?? '');
          return await reply.redirect(`/referrals/${request.params.id}?done=check-cleared`, 303);
        } catch (err) {
          if (
            err instanceof AppError &&
            ['VALIDATION_FAILED', 'STALE_EDIT', 'INVALID_STATE'].includes(err.code)
          ) {
            const detail = await viewReferral(svc, actor, request.params.id);
            const errors =
              err.fieldErrors.length > 0 ? err.fieldErrors : [{ field: 'note', message: err.message }];
            return reply.status(err.status).page('pages/referrals/show.njk', {
              title: `Referral for ${detail.patient.givenName} ${detail.patient.familyName}`,
              ...(await referralPageData(deps, detail, auth.user.role)),
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
        const auth = requireAuth(request);
        try {
          const file = uploadedFile(request.body, 'file', deps.config.uploadMaxBytes);
          await attachLetter(svc, actorFor(auth, request.id), request.params.id, file);
          return await reply.redirect(`/referrals/${request.params.id}?done=letter-attached`, 303);
        } catch (err) {
          if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
            const detail = await viewReferral(svc, actorFor(auth, request.id), request.params.id);
            return reply.status(400).page('pages/referrals/show.njk', {
              title: `Referral for ${detail.patient.givenName} ${detail.patient.familyName}`,
              ...(await referralPageData(deps, detail, auth.user.role)),
              ...errorContext(err.fieldErrors),
            });
          }
          throw err;
        }
      },
    );

    app.get<{ Params: { id: string } }>(
      '/documents/:id',
      { config: { access: read } },
      async (request, reply) => {
        const doc = await readDocument(svc, actorFor(requireAuth(request), request.id), request.params.id);
        // Always a download, never rendered by the browser in the service's origin: an attached
        // file could be anything the referrer sent.
        return reply
          .header(
            'content-type',
            doc.contentType === 'application/pdf' ? 'application/pdf' : 'application/octet-stream',
          )
          .header('content-disposition', attachmentDisposition(doc.filename))
          .header('cache-control', 'no-store')
          .send(doc.content);
      },
    );

    const triageItems = () => ({
      outcomes: TRIAGE_OUTCOMES.map((v) => ({ value: v, text: TRIAGE_OUTCOME_LABELS[v] })),
      priorities: PRIORITIES.map((v) => ({ value: v, text: PRIORITY_LABELS[v] })),
    });

    app.get<{ Params: { id: string } }>(
      '/referrals/:id/triage',
      { config: { access: triage } },
      async (request, reply) => {
        const auth = requireAuth(request);
        const detail = await viewReferral(svc, actorFor(auth, request.id), request.params.id);
        return reply.page('pages/referrals/triage.njk', {
          title: detail.decisions.length > 0 ? 'Change the triage decision' : 'Triage the referral',
          ...(await referralPageData(deps, detail, auth.user.role)),
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
          const { decision } = await triageReferral(svc, actor, request.params.id, formVersion(f), {
            outcome: f.outcome,
            priority: f.priority || null,
            advice: f.advice,
            redirectTo: f.redirectTo,
            reason: f.reason,
          });
          return await reply.redirect(
            `/referrals/${request.params.id}?done=triaged-${decision.outcome}`,
            303,
          );
        } catch (err) {
          if (
            err instanceof AppError &&
            ['VALIDATION_FAILED', 'STALE_EDIT', 'INVALID_STATE'].includes(err.code)
          ) {
            const detail = await viewReferral(svc, actor, request.params.id);
            const errors =
              err.fieldErrors.length > 0 ? err.fieldErrors : [{ field: 'outcome', message: err.message }];
            return reply.status(err.status).page('pages/referrals/triage.njk', {
              title: detail.decisions.length > 0 ? 'Change the triage decision' : 'Triage the referral',
              ...(await referralPageData(deps, detail, auth.user.role)),
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
  };
}
