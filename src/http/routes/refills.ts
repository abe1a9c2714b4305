import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../compose.ts';
import type { FieldError } from '../../domain/field-error.ts';
import { today as serviceToday } from '../../services/clock.ts';
import { pumpOverview } from '../../services/pump-service.ts';
import {
  amendRefill,
  confirmRefillAmendment,
  recordRefill,
  refillView,
  rejectRefill,
  rejectRefillAmendment,
  reviewRefill,
  signRefill,
  type RefillServiceDeps,
} from '../../services/refill-service.ts';
import { actorFor, requireAuth } from '../access.ts';
import { errorContext } from '../plugins/views.ts';
import { dateFromParts, formFields, formVersion, isPageError } from './form.ts';
import { pumpChoices } from './pumps/pump-forms.ts';
import { prescriptionSummary } from './pumps/pump-view.ts';
import {
  complicationChoices,
  REFILL_HREFS,
  refillFormErrors,
  refillFormPrefill,
  refillFormValues,
  refillFromForm,
} from './refill-form.ts';
import { CONFIRM_TEXT, refillPageData, type RefillPageExtra } from './refill-page.ts';

export function refillServiceDeps(deps: AppDeps): RefillServiceDeps {
  return { db: deps.database.db, clock: deps.clock, config: deps.config };
}

type RefillParams = { Params: { refillId: string } };
type AmendmentParams = { Params: { refillId: string; amendmentId: string } };

/** Field errors about who is acting rather than what was typed. */
const WHO_ACTS: readonly string[] = ['checkedBy', 'reviewedBy'];
type PumpParams = { Params: { pumpId: string } };

/** Refill pages: record a refill, the refill record with its review, signature and amendments. */
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
    return reply
      .status(extra.status ?? 200)
      .page(
        'pages/refills/show.njk',
        refillPageData(v, auth, formFields(request.query), extra, deps.config.pumpRules.discrepancy),
      );
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
      // Who may act (checker, reviewer) is not a box on the form: it is shown as the outcome.
      if (err.code === 'VALIDATION_FAILED' && err.fieldErrors.every((e) => !WHO_ACTS.includes(e.field))) {
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
        // A voided refill does not count: the next is recorded in its place.
        lastRefillOn: o.refills.find((r) => r.state !== 'voided')?.performedOn ?? null,
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
          (field) => (field === 'note' ? 'reviewNote' : field),
          () =>
            reviewRefill(svc, actorFor(requireAuth(request), request.id), refillId, {
              note: f.reviewNote,
              withdrawalSignsChecked: f.withdrawalSignsChecked,
              withdrawalSignsFound: f.withdrawalSignsFound,
            }),
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

    app.post<RefillParams>(
      '/refills/:refillId/reject',
      { config: { access: check } },
      async (request, reply) => {
        const { refillId } = request.params;
        const f = formFields(request.body);
        return onRefillPage(
          request,
          reply,
          refillId,
          (field) => `reject-${field}`,
          () =>
            rejectRefill(svc, actorFor(requireAuth(request), request.id), refillId, {
              reason: f['reject-reason'] ?? '',
            }),
          'rejected',
        );
      },
    );

    app.post<RefillParams>(
      '/refills/:refillId/amend-volumes',
      { config: { access: record } },
      async (request, reply) => {
        const { refillId } = request.params;
        const f = formFields(request.body);
        return onRefillPage(
          request,
          reply,
          refillId,
          (field) => `vol-${field}`,
          () =>
            amendRefill(svc, actorFor(requireAuth(request), request.id), refillId, {
              reason: f['vol-reason'] ?? '',
              instilledMl: f['vol-instilledMl'] ?? '',
              alarmMl: f['vol-alarmMl'] ?? '',
            }),
          'volumes-proposed',
        );
      },
    );

    const decideAmendment =
      (kind: 'confirm' | 'reject') =>
      async (request: FastifyRequest<AmendmentParams>, reply: FastifyReply) => {
        const { refillId, amendmentId } = request.params;
        const f = formFields(request.body);
        const decide = kind === 'confirm' ? confirmRefillAmendment : rejectRefillAmendment;
        return onRefillPage(
          request,
          reply,
          refillId,
          (field) => `${kind}-vol-${field}`,
          () =>
            decide(svc, actorFor(requireAuth(request), request.id), refillId, amendmentId, {
              note: f[`${kind}-vol-note`] ?? '',
            }),
          kind === 'confirm' ? 'volumes-confirmed' : 'volumes-rejected',
        );
      };
    app.post<AmendmentParams>(
      '/refills/:refillId/amendments/:amendmentId/confirm',
      { config: { access: check } },
      decideAmendment('confirm'),
    );
    app.post<AmendmentParams>(
      '/refills/:refillId/amendments/:amendmentId/reject',
      { config: { access: check } },
      decideAmendment('reject'),
    );
  };
}
