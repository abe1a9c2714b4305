import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { MRI_STATE_LABELS, ROTOR_RESULT_LABELS } from '../../../domain/mri-input.ts';
import { MRI_PLAN_KIND_LABELS } from '../../../domain/mri-plan.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { dateFromParts, formFields, formList, isPageError, noticeFrom } from '../form.ts';
import { instantBoxes, instantFromForm } from '../test-doses/test-dose-bedside-form.ts';
import { prefixed } from '../pumps/pump-page-render.ts';

type PumpParams = { Params: { pumpId: string } };
type IdParams = { Params: { id: string } };

const NOTICES: Readonly<Record<string, string>> = {
  planned: 'MRI planned: the checklist is confirmed. Record the scan when it has been done',
  scanned: 'Scan recorded: the post-scan check is on the refill worklist until it is recorded',
  checked: 'Post-scan check recorded',
  cancelled: 'MRI plan cancelled',
};

/** Each form's fields carry its prefix, so a message lands beside its own form's box. */
const HREFS: Record<string, string> = {
  'plan-plannedOn': 'plan-plannedOn-day',
  'scan-scannedAt': 'scan-scannedAt-day',
  'check-checkedAt': 'check-checkedAt-day',
};

interface Extra {
  readonly status?: number;
  readonly errors?: readonly FieldError[];
  readonly values?: Record<string, string>;
  readonly steps?: readonly string[];
  readonly conflict?: string | null;
}

/**
 * The pump's MRI page (/pumps/{pumpId}/mri): the checklist by its model, the plan, the scan and
 * the post-scan check, each a form that shows its problems beside it with what was typed.
 */
export function mriPageRoutes(deps: RouteDeps): FastifyPluginAsync {
  const tz = deps.config.timeZone;
  const manage = { permission: 'pump:manage' } as const;

  const render = async (request: FastifyRequest, reply: FastifyReply, pumpId: string, extra: Extra = {}) => {
    const auth = requireAuth(request);
    const actor = actorFor(auth, request.id);
    const o = await deps.services.pumps.overview(actor, pumpId);
    const mri = await deps.services.mri.forPump(actor, pumpId);
    const history = mri.history;
    const names = await deps.services.pumps.peopleNamed(
      history.flatMap((m) => [
        m.plannedBy,
        m.scanRecordedBy ?? '',
        m.checkRecordedBy ?? '',
        m.cancelledBy ?? '',
      ]),
    );
    const nameOf = (id: string | null) => (id ? (names.get(id) ?? 'Unknown') : '');
    const values = extra.values ?? {};
    const q = formFields(request.query);
    const implanted = o.pump.state === 'implanted';
    return reply.status(extra.status ?? 200).page('pages/mri/show.njk', {
      title: `MRI: pump ${o.pump.serialNumber}`,
      patient: o.patient,
      pump: o.pump,
      model: o.model,
      rules: mri.rules,
      kindLabel: MRI_PLAN_KIND_LABELS[mri.rules.kind],
      open: mri.open
        ? {
            ...mri.open,
            kindLabel: MRI_PLAN_KIND_LABELS[mri.open.planKind],
            stateLabel: MRI_STATE_LABELS[mri.open.state],
            plannedByName: nameOf(mri.open.plannedBy),
          }
        : null,
      history: history.map((m) => ({
        ...m,
        stateLabel: MRI_STATE_LABELS[m.state],
        rotorLabel: m.rotorCheck ? ROTOR_RESULT_LABELS[m.rotorCheck] : null,
        plannedByName: nameOf(m.plannedBy),
        checkedByName: nameOf(m.checkRecordedBy),
      })),
      canManage: implanted && roleHasPermission(auth.user.role, 'pump:manage'),
      canRecord: roleHasPermission(auth.user.role, 'pump:manage'),
      canRefill: roleHasPermission(auth.user.role, 'refill:record'),
      notice: noticeFrom(NOTICES, q.done),
      conflict: extra.conflict ?? null,
      values,
      steps: extra.steps ?? [],
      plannedOn: {
        day: values['plan-plannedOn-day'] ?? '',
        month: values['plan-plannedOn-month'] ?? '',
        year: values['plan-plannedOn-year'] ?? '',
      },
      scannedAt: instantBoxes(values, 'scan-scannedAt'),
      checkedAt: instantBoxes(values, 'check-checkedAt'),
      ...errorContext(extra.errors ?? [], HREFS),
    });
  };

  /** Runs a form's action; on a problem shows the page again with the message and what was typed. */
  const onForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pumpId: string,
    prefix: string,
    done: string,
    action: () => Promise<unknown>,
  ) => {
    try {
      await action();
      return await reply.redirect(`/pumps/${pumpId}/mri?done=${done}`, 303);
    } catch (err) {
      if (!isPageError(err)) {
        throw err;
      }
      const values = formFields(request.body);
      const steps = formList(request.body, 'plan-confirmedSteps');
      if (err.code === 'VALIDATION_FAILED') {
        return render(request, reply, pumpId, {
          status: 400,
          errors: prefixed(err.fieldErrors, prefix),
          values,
          steps,
        });
      }
      return render(request, reply, pumpId, { status: err.status, conflict: err.message, values, steps });
    }
  };

  /** The pump an MRI record belongs to, for the page to show again (404 when there is none). */
  const pumpOfMri = async (request: FastifyRequest, id: string): Promise<string> => {
    const actor = actorFor(requireAuth(request), request.id);
    const found = await deps.services.mri.pumpOf(actor, id);
    return found;
  };

  return async (app) => {
    app.get<PumpParams>(
      '/pumps/:pumpId/mri',
      { config: { access: { permission: 'patient:read' } } },
      async (request, reply) => render(request, reply, request.params.pumpId),
    );

    app.post<PumpParams>(
      '/pumps/:pumpId/mri-plans',
      { config: { access: manage } },
      async (request, reply) => {
        const { pumpId } = request.params;
        const f = formFields(request.body);
        const steps = formList(request.body, 'plan-confirmedSteps');
        const date = dateFromParts(f, 'plan-plannedOn', 'Planned scan date');
        if (date.error) {
          return render(request, reply, pumpId, { status: 400, errors: [date.error], values: f, steps });
        }
        return onForm(request, reply, pumpId, 'plan-', 'planned', () =>
          deps.services.mri.plan(actorFor(requireAuth(request), request.id), pumpId, {
            plannedOn: date.date,
            scanner: f['plan-scanner'],
            fieldStrengthTesla: f['plan-fieldStrengthTesla'],
            confirmedSteps: steps,
            note: f['plan-note'],
          }),
        );
      },
    );

    app.post<IdParams>('/mri-scans/:id/scan', { config: { access: manage } }, async (request, reply) => {
      const pumpId = await pumpOfMri(request, request.params.id);
      const f = formFields(request.body);
      const at = instantFromForm(f, 'scan-scannedAt', 'of the scan', tz);
      if ('error' in at) {
        return render(request, reply, pumpId, { status: 400, errors: [at.error], values: f });
      }
      return onForm(request, reply, pumpId, 'scan-', 'scanned', () =>
        deps.services.mri.recordScan(actorFor(requireAuth(request), request.id), request.params.id, {
          scannedAt: at.instant,
          note: f['scan-note'],
        }),
      );
    });

    app.post<IdParams>('/mri-scans/:id/check', { config: { access: manage } }, async (request, reply) => {
      const pumpId = await pumpOfMri(request, request.params.id);
      const f = formFields(request.body);
      const at = instantFromForm(f, 'check-checkedAt', 'of the check', tz);
      if ('error' in at) {
        return render(request, reply, pumpId, { status: 400, errors: [at.error], values: f });
      }
      return onForm(request, reply, pumpId, 'check-', 'checked', () =>
        deps.services.mri.completeCheck(actorFor(requireAuth(request), request.id), request.params.id, {
          checkedAt: at.instant,
          pumpRunning: f['check-pumpRunning'],
          rotorCheck: f['check-rotorCheck'] || undefined,
          logsReviewed: f['check-logsReviewed'] === 'yes' ? 'yes' : undefined,
          reservoirMl: f['check-reservoirMl'] ?? '',
          findings: f['check-findings'],
        }),
      );
    });

    app.post<IdParams>('/mri-scans/:id/cancel', { config: { access: manage } }, async (request, reply) => {
      const pumpId = await pumpOfMri(request, request.params.id);
      const f = formFields(request.body);
      return onForm(request, reply, pumpId, 'cancel-', 'cancelled', () =>
        deps.services.mri.cancel(actorFor(requireAuth(request), request.id), request.params.id, {
          reason: f['cancel-reason'] ?? '',
        }),
      );
    });
  };
}
