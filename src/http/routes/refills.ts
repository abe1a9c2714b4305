import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../compose.ts';
import { formatPlainDate } from '../../domain/calendar-date.ts';
import type { FieldError } from '../../domain/field-error.ts';
import { REFILL_COMPLICATION_LABELS } from '../../domain/pump-inputs.ts';
import { roleHasPermission } from '../../domain/roles.ts';
import { today as serviceToday } from '../../services/clock.ts';
import { modelOf, pumpOverview } from '../../services/pump-service.ts';
import {
  amendRefill,
  recordRefill,
  refillView,
  reviewRefill,
  signRefill,
  type RefillServiceDeps,
} from '../../services/refill-service.ts';
import { actorFor, requireAuth } from '../access.ts';
import { errorContext } from '../plugins/views.ts';
import { dateFromParts, formFields, formVersion, isPageError } from './form.ts';
import { pumpChoices } from './pump-forms.ts';
import { comparisonRows, num, prescriptionSummary, signedMl, signedPercent } from './pump-view.ts';
import {
  complicationChoices,
  REFILL_HREFS,
  refillFormErrors,
  refillFormPrefill,
  refillFormValues,
  refillFromForm,
} from './refill-form.ts';

export function refillServiceDeps(deps: AppDeps): RefillServiceDeps {
  return { db: deps.database.db, clock: deps.clock, config: deps.config };
}

const NOTICES: Readonly<Record<string, string>> = {
  recorded: 'Refill recorded: it counts once a second clinician checks and signs it',
  reviewed: 'Review recorded',
  signed: 'Refill checked and signed: the pump’s alarm and due dates now come from this fill',
  amended: 'Amendment recorded',
};

const AMENDABLE_LABELS: Readonly<Record<string, string>> = {
  batch: 'Batch number',
  expiresOn: 'Expiry date',
  complicationNote: 'Complication details',
  patientNote: 'Note for the patient',
};

const CONFIRM_TEXT = 'I have checked the volumes, concentration and programme against the pump';

interface RefillPageExtra {
  readonly status?: number;
  readonly errors?: readonly FieldError[];
  readonly values?: Record<string, string>;
  readonly conflict?: string | null;
}

type RefillParams = { Params: { refillId: string } };
type PumpParams = { Params: { pumpId: string } };

/** Refill pages: record a refill, the refill record with its review, signature and amendments (issue 5). */
export function refillRoutes(deps: AppDeps): FastifyPluginAsync {
  const svc = refillServiceDeps(deps);
  const read = { permission: 'patient:read' } as const;
  const record = { permission: 'refill:record' } as const;
  const check = { permission: 'dose:check' } as const;

  const renderForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pumpId: string,
    status: number,
    values: Record<string, unknown> | null,
    errors: readonly FieldError[] = [],
    conflict: string | null = null,
  ) => {
    const o = await pumpOverview(svc, actorFor(requireAuth(request), request.id), pumpId);
    return reply.status(status).page('pages/refills/form.njk', {
      title: 'Record a refill',
      patient: o.patient,
      pump: o.pump,
      model: o.model,
      active: o.active ? prescriptionSummary(o.active) : null,
      awaitingCheck: o.refills.find((r) => r.state === 'recorded') ?? null,
      values: values ?? refillFormPrefill(o.today, o.pump, o.active),
      choices: { ...pumpChoices, complications: complicationChoices },
      conflict,
      action: `/pumps/${o.pump.id}/refills`,
      ...errorContext(errors, REFILL_HREFS),
    });
  };

  const renderRefill = async (
    request: FastifyRequest,
    reply: FastifyReply,
    refillId: string,
    extra: RefillPageExtra = {},
  ) => {
    const auth = requireAuth(request);
    const v = await refillView(svc, actorFor(auth, request.id), refillId);
    const { refill, pump } = v;
    const can = (p: Parameters<typeof roleHasPermission>[1]) => roleHasPermission(auth.user.role, p);
    const nameOf = (id: string | null) => (id ? (v.names.get(id) ?? 'Unknown') : null);
    const recorded = refill.state === 'recorded';
    const reviewPending = v.needsReview && refill.reviewNote === null;
    const q = request.query as Record<string, string | undefined>;
    const values = extra.values ?? {};
    return reply.status(extra.status ?? 200).page('pages/refills/show.njk', {
      title: `Refill on ${formatPlainDate(refill.performedOn)}`,
      patient: v.patient,
      pump,
      model: modelOf(pump),
      refill,
      effective: v.effective,
      dueOn: v.dueOn,
      limitedBy:
        refill.limitedBy === 'alarm'
          ? 'the low-reservoir alarm date, less the refill buffer'
          : 'how long the drug may stay in the pump (stability limit)',
      discrepancy: {
        expected: num(refill.expectedResidualMl),
        withdrawn: num(refill.withdrawnMl),
        ml: signedMl(refill.discrepancyMl),
        percent: signedPercent(refill.discrepancyPercent),
        threshold: num(refill.thresholdMl),
      },
      instilled: num(refill.instilledMl),
      dailyVolume: num(refill.dailyVolumeMl),
      concentration: num(refill.concentrationMcgPerMl),
      complications: refill.complications.map((c) => REFILL_COMPLICATION_LABELS[c]),
      pocketFill: refill.complications.includes('suspected-pocket-fill'),
      programme: v.prescription ? prescriptionSummary(v.prescription) : null,
      programmeChanged: v.previousPrescription !== null,
      comparison:
        v.prescription && v.previousPrescription
          ? comparisonRows(v.previousPrescription, v.prescription)
          : null,
      performedBy: nameOf(refill.performedBy),
      reviewedBy: nameOf(refill.reviewedBy),
      checkedBy: nameOf(refill.checkedBy),
      amendments: v.amendments.map((a) => ({
        ...a,
        byName: nameOf(a.amendedBy),
        changes: a.changes.map((c) => ({
          label: AMENDABLE_LABELS[c.field] ?? c.field,
          old: c.field === 'expiresOn' && c.old ? formatPlainDate(c.old) : (c.old ?? 'Not recorded'),
          new: c.field === 'expiresOn' && c.new ? formatPlainDate(c.new) : (c.new ?? ''),
        })),
      })),
      needsReview: v.needsReview,
      reviewPending,
      canReview: recorded && reviewPending && can('refill:record'),
      canSign: recorded && !reviewPending && can('dose:check') && refill.performedBy !== auth.user.id,
      isPerformer: refill.performedBy === auth.user.id,
      maySign: can('dose:check'),
      canAmend: refill.state === 'signed' && can('refill:record'),
      confirmText: CONFIRM_TEXT,
      notice: NOTICES[q.done ?? ''] ?? null,
      conflict: extra.conflict ?? null,
      values,
      amendExpires: {
        day: values['amend-expiresOn-day'] ?? '',
        month: values['amend-expiresOn-month'] ?? '',
        year: values['amend-expiresOn-year'] ?? '',
      },
      ...errorContext(extra.errors ?? [], { 'amend-expiresOn': 'amend-expiresOn-day' }),
    });
  };

  /** Refill page forms: a problem shows the page again with the message and what was typed. */
  const onRefillPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    refillId: string,
    rename: (field: string) => string,
    action: () => Promise<unknown>,
    done: string,
  ) => {
    const values = formFields(request.body);
    try {
      await action();
      return await reply.redirect(`/refills/${refillId}?done=${done}`, 303);
    } catch (err) {
      if (!isPageError(err)) {
        throw err;
      }
      // The checker rule is about who is signing, not a box on the form: it is shown as the outcome.
      if (err.code === 'VALIDATION_FAILED' && err.fieldErrors.every((e) => e.field !== 'checkedBy')) {
        return renderRefill(request, reply, refillId, {
          status: 400,
          values,
          errors: err.fieldErrors.map((e) => ({ field: rename(e.field), message: e.message })),
        });
      }
      return renderRefill(request, reply, refillId, {
        status: err.status,
        values,
        conflict: err.fieldErrors[0]?.message ?? err.message,
      });
    }
  };

  return async (app) => {
    app.get<PumpParams>(
      '/pumps/:pumpId/refills/new',
      { config: { access: record } },
      async (request, reply) => renderForm(request, reply, request.params.pumpId, 200, null),
    );

    app.post<PumpParams>('/pumps/:pumpId/refills', { config: { access: record } }, async (request, reply) => {
      const { pumpId } = request.params;
      const actor = actorFor(requireAuth(request), request.id);
      const o = await pumpOverview(svc, actor, pumpId);
      const { raw, formErrors } = refillFromForm(request.body, {
        today: serviceToday(svc),
        implantedOn: o.pump.implantedOn,
        reservoirMl: o.pump.reservoirMl,
        lastRefillOn: o.refills[0]?.performedOn ?? null,
        ranges: deps.config.pumpRules.hardLimits,
      });
      let errors: readonly FieldError[] | null = formErrors;
      let conflict: string | null = null;
      let status = 400;
      if (!errors) {
        try {
          const refill = await recordRefill(svc, actor, pumpId, raw);
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
      return renderForm(request, reply, pumpId, status, refillFormValues(request.body), errors, conflict);
    });

    app.get<RefillParams>('/refills/:refillId', { config: { access: read } }, async (request, reply) =>
      renderRefill(request, reply, request.params.refillId),
    );

    app.post<RefillParams>(
      '/refills/:refillId/review',
      { config: { access: record } },
      async (request, reply) => {
        const { refillId } = request.params;
        const f = formFields(request.body);
        return onRefillPage(
          request,
          reply,
          refillId,
          () => 'reviewNote',
          () =>
            reviewRefill(svc, actorFor(requireAuth(request), request.id), refillId, { note: f.reviewNote }),
          'reviewed',
        );
      },
    );

    app.post<RefillParams>(
      '/refills/:refillId/sign',
      { config: { access: check } },
      async (request, reply) => {
        const { refillId } = request.params;
        const f = formFields(request.body);
        if (f.confirmed !== 'yes') {
          return renderRefill(request, reply, refillId, {
            status: 400,
            values: f,
            errors: [{ field: 'confirmed', message: `Confirm: ${CONFIRM_TEXT.toLowerCase()}` }],
          });
        }
        return onRefillPage(
          request,
          reply,
          refillId,
          () => 'confirmed',
          () =>
            signRefill(svc, actorFor(requireAuth(request), request.id), refillId, {
              version: formVersion(f) ?? undefined,
            }),
          'signed',
        );
      },
    );

    app.post<RefillParams>(
      '/refills/:refillId/amend',
      { config: { access: record } },
      async (request, reply) => {
        const { refillId } = request.params;
        const f = formFields(request.body);
        const hasDate = ['day', 'month', 'year'].some((k) => (f[`amend-expiresOn-${k}`] ?? '').trim() !== '');
        const expires = hasDate
          ? dateFromParts(f, 'amend-expiresOn', 'Expiry date')
          : { date: null, error: null };
        if (expires.error) {
          return renderRefill(request, reply, refillId, { status: 400, values: f, errors: [expires.error] });
        }
        return onRefillPage(
          request,
          reply,
          refillId,
          (field) => `amend-${field}`,
          () =>
            amendRefill(svc, actorFor(requireAuth(request), request.id), refillId, {
              reason: f['amend-reason'] ?? '',
              batch: f['amend-batch'] ?? null,
              expiresOn: expires.date,
              complicationNote: f['amend-complicationNote'] ?? null,
              patientNote: f['amend-patientNote'] ?? null,
            }),
          'amended',
        );
      },
    );
  };
}
