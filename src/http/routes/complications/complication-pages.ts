import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { COMPLICATION_KIND_LABELS } from '../../../domain/complication.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import type { AppError } from '../../../services/app-error.ts';
import type { Patient } from '../../../storage/patients.repository.ts';
import type { Pump } from '../../../storage/pumps.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { datePartsOf, formFields, isPageError, noticeFrom } from '../form.ts';
import {
  choices,
  COMPLICATION_NOTICES,
  ENTRY_HREFS,
  entryFormValues,
  entryFromForm,
  entryRow,
  planFromForm,
  planRow,
  pumpLabel,
  typedDates,
} from './complication-view.ts';

type PatientParams = { Params: { patientId: string } };
type PumpParams = { Params: { pumpId: string } };
type IdParams = { Params: { id: string } };

/** Where an entry form goes; `known` is the patient and pumps when the caller has read them. */
interface EntryTarget {
  readonly patientId: string;
  readonly entryId: string | null;
  readonly known?: { readonly patient: Patient; readonly pumps: readonly Pump[] };
}

/**
 * The complications register's pages: a patient's register (with their bridging plans), an
 * entry and its form, the bridging plan form for a pump, and the service-wide register filtered
 * by kind and onset dates. Recording needs pump:manage; reading patient:read.
 */
export function complicationRoutes(deps: RouteDeps): FastifyPluginAsync {
  const complications = deps.services.complications;
  const read = { permission: 'patient:read' } as const;
  const manage = { permission: 'pump:manage' } as const;
  const actor = (request: FastifyRequest) => actorFor(requireAuth(request), request.id);
  const canManage = (request: FastifyRequest) =>
    roleHasPermission(requireAuth(request).user.role, 'pump:manage');

  const renderEntryForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    target: EntryTarget,
    status: number,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
    conflict: string | null = null,
  ) => {
    // An entry's own forms have read the record already (one audit row); a new entry's reads it.
    const r = target.known ?? (await complications.forPatient(actor(request), target.patientId));
    return reply.status(status).page('pages/complications/form.njk', {
      title: target.entryId ? 'Change a complication' : 'Record a complication',
      patient: r.patient,
      pumps: r.pumps.map((p) => ({ value: p.id, text: pumpLabel(p) })),
      choices,
      values,
      conflict,
      action: target.entryId
        ? `/complications/${target.entryId}`
        : `/patients/${target.patientId}/complications`,
      back: target.entryId
        ? `/complications/${target.entryId}`
        : `/patients/${target.patientId}/complications`,
      ...errorContext(errors, ENTRY_HREFS),
    });
  };

  const renderPlanForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pumpId: string,
    status: number,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
  ) => {
    const r = await complications.forPump(actor(request), pumpId);
    return reply.status(status).page('pages/complications/bridging-form.njk', {
      title: 'Record a bridging plan',
      pump: r.pump,
      pumpText: pumpLabel(r.pump),
      linkable: r.complications.map((c) => ({
        value: c.id,
        text: `${COMPLICATION_KIND_LABELS[c.kind]}, onset ${c.onsetOn}`,
      })),
      choices,
      values,
      ...errorContext(errors, ENTRY_HREFS),
    });
  };

  /** A refusal (state or stale edit) shown above the form; field errors beside their fields. */
  const formProblem = (err: AppError) =>
    err.code === 'VALIDATION_FAILED'
      ? { errors: err.fieldErrors, conflict: null }
      : { errors: [], conflict: err.message };

  return async (app) => {
    app.get<PatientParams>(
      '/patients/:patientId/complications',
      { config: { access: read } },
      async (request, reply) => {
        const r = await complications.forPatient(actor(request), request.params.patientId);
        const q = formFields(request.query);
        return reply.page('pages/complications/patient.njk', {
          title: 'Complications register',
          patient: r.patient,
          entries: r.complications.map((c) => entryRow(c, r.pumps)),
          plans: r.plans.map((p) => planRow(p, r.pumps, r.complications)),
          implanted: r.pumps
            .filter((p) => p.state === 'implanted')
            .map((p) => ({ id: p.id, text: pumpLabel(p) })),
          canManage: canManage(request),
          notice: noticeFrom(COMPLICATION_NOTICES, q.done),
        });
      },
    );

    app.get<PatientParams>(
      '/patients/:patientId/complications/new',
      { config: { access: manage } },
      async (request, reply) =>
        renderEntryForm(request, reply, { patientId: request.params.patientId, entryId: null }, 200, {
          onsetOn: datePartsOf(null),
          resolvedOn: datePartsOf(null),
          outcome: 'ongoing',
          // Opened from a pump page: that pump chosen already.
          pumpId: formFields(request.query).pumpId ?? '',
        }),
    );

    const saveEntry = async (request: FastifyRequest, reply: FastifyReply, target: EntryTarget) => {
      const f = formFields(request.body);
      const values = { ...f, ...typedDates(f, ['onsetOn', 'resolvedOn']) };
      const read = entryFromForm(f);
      if (!read.ok) {
        return renderEntryForm(request, reply, target, 400, values, read.errors);
      }
      try {
        const saved = target.entryId
          ? await complications.update(actor(request), target.entryId, read.input)
          : await complications.record(actor(request), target.patientId, read.input);
        return await reply.redirect(
          `/complications/${saved.id}?done=${target.entryId ? 'updated' : 'recorded'}`,
          303,
        );
      } catch (err) {
        if (!isPageError(err)) {
          throw err;
        }
        const p = formProblem(err);
        return renderEntryForm(request, reply, target, err.status, values, p.errors, p.conflict);
      }
    };

    app.post<PatientParams>(
      '/patients/:patientId/complications',
      { config: { access: manage } },
      async (request, reply) =>
        saveEntry(request, reply, { patientId: request.params.patientId, entryId: null }),
    );

    app.get<IdParams>('/complications/:id', { config: { access: read } }, async (request, reply) => {
      const { patient, complication, pumps, plans } = await complications.page(
        actor(request),
        request.params.id,
      );
      return reply.page('pages/complications/show.njk', {
        title: COMPLICATION_KIND_LABELS[complication.kind],
        patient,
        entry: entryRow(complication, pumps),
        plans: plans.map((p) => planRow(p, pumps, [complication])),
        canManage: canManage(request),
        notice: noticeFrom(COMPLICATION_NOTICES, formFields(request.query).done),
      });
    });

    app.get<IdParams>('/complications/:id/edit', { config: { access: manage } }, async (request, reply) => {
      const { patient, complication, pumps } = await complications.page(actor(request), request.params.id);
      const target = {
        patientId: complication.patientId,
        entryId: complication.id,
        known: { patient, pumps },
      };
      return renderEntryForm(request, reply, target, 200, entryFormValues(complication));
    });

    app.post<IdParams>('/complications/:id', { config: { access: manage } }, async (request, reply) => {
      const { patient, complication, pumps } = await complications.page(actor(request), request.params.id);
      return saveEntry(request, reply, {
        patientId: complication.patientId,
        entryId: complication.id,
        known: { patient, pumps },
      });
    });

    app.get<PumpParams>(
      '/pumps/:pumpId/bridging-plans/new',
      { config: { access: manage } },
      async (request, reply) => {
        const q = formFields(request.query);
        return renderPlanForm(request, reply, request.params.pumpId, 200, {
          startOn: datePartsOf(null),
          reviewOn: datePartsOf(null),
          purpose: q.purpose ?? '',
          drug: 'Oral baclofen',
        });
      },
    );

    app.post<PumpParams>(
      '/pumps/:pumpId/bridging-plans',
      { config: { access: manage } },
      async (request, reply) => {
        const { pumpId } = request.params;
        const f = formFields(request.body);
        const values = { ...f, ...typedDates(f, ['startOn', 'reviewOn']) };
        const read = planFromForm(f);
        if (!read.ok) {
          return renderPlanForm(request, reply, pumpId, 400, values, read.errors);
        }
        try {
          await complications.recordBridgingPlan(actor(request), pumpId, read.input);
          return await reply.redirect(`/pumps/${pumpId}?done=plan-recorded`, 303);
        } catch (err) {
          if (!isPageError(err)) {
            throw err;
          }
          return renderPlanForm(request, reply, pumpId, err.status, values, formProblem(err).errors);
        }
      },
    );

    app.get('/complications', { config: { access: read } }, async (request, reply) => {
      const q = formFields(request.query);
      const filter = { kind: q.kind || null, from: q.from || null, to: q.to || null };
      try {
        const r = await complications.register(actor(request), filter);
        return await reply.page('pages/complications/register.njk', {
          title: 'Complications register',
          rows: r.rows.map((c) => ({ ...entryRow(c, []), patient: c.patient })),
          truncated: r.truncated,
          values: q,
          choices,
          filtered: filter.kind !== null || filter.from !== null || filter.to !== null,
        });
      } catch (err) {
        if (!isPageError(err)) {
          throw err;
        }
        return reply.status(400).page('pages/complications/register.njk', {
          title: 'Complications register',
          rows: [],
          truncated: false,
          values: q,
          choices,
          filtered: true,
          ...errorContext(err.fieldErrors),
        });
      }
    });
  };
}
