import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { parseSearchQuery } from '../../../domain/patient-search.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import { todayIn } from '../../../services/clock.ts';
import { AppError } from '../../../services/app-error.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields, formVersion } from '../form.ts';
import {
  dateErrorsWithOthers,
  formValues,
  HREF_FOR,
  intakeIdFrom,
  patientFromForm,
  sexItems,
  valuesFromIntake,
  valuesFromPatient,
} from './patient-form.ts';
import { overviewView } from './patient-overview-view.ts';
import { overviewLifeEvents } from '../life-events/life-event-view.ts';
import { cardStandingView } from '../documents/document-view.ts';

const CONFIRM_DUPLICATE_ERROR: FieldError = {
  field: 'confirmNotDuplicate',
  message:
    'A patient born on the same day with a similar name is already registered: check the records below, then confirm this is a different person',
};

export function patientRoutes(deps: RouteDeps): FastifyPluginAsync {
  const patients = deps.services.patients;
  const read = { permission: 'patient:read' } as const;
  const write = { permission: 'patient:write' } as const;
  const actor = (request: FastifyRequest) => actorFor(requireAuth(request), request.id);

  return async (app) => {
    app.get('/patients', { config: { access: read } }, async (request, reply) => {
      const raw = (request.query as Record<string, unknown>).q;
      const q = typeof raw === 'string' ? raw : '';
      if (q.trim() === '') {
        return reply.page('pages/patients/search.njk', { title: 'Find a patient', q: '' });
      }
      const parsed = parseSearchQuery(q);
      if (!parsed.ok) {
        return reply.status(400).page('pages/patients/search.njk', {
          title: 'Find a patient',
          q,
          ...errorContext([{ field: 'q', message: parsed.message }]),
        });
      }
      const results = await patients.find(actor(request), parsed.criteria);
      return reply.page('pages/patients/search.njk', { title: 'Find a patient', q, results, searched: true });
    });

    app.get('/patients/new', { config: { access: write } }, async (request, reply) => {
      const intakeId = intakeIdFrom(formFields(request.query).intake);
      const fromEmail = intakeId ? await patients.intakeDetails(actor(request), intakeId) : null;
      return reply.page('pages/patients/form.njk', {
        title: 'Register a patient',
        values: fromEmail ? valuesFromIntake(fromEmail) : {},
        sexItems,
        action: '/patients',
        intakeId,
        fromEmail,
      });
    });

    app.post(
      '/patients',
      { config: { access: write } },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const f = formFields(request.body);
        const { raw, dateError } = patientFromForm(f);
        const intakeId = intakeIdFrom(f.intake);
        const renderErrors = (
          errors: readonly FieldError[],
          status: number,
          extra: Record<string, unknown> = {},
        ) =>
          reply.status(status).page('pages/patients/form.njk', {
            title: 'Register a patient',
            values: formValues(f),
            sexItems,
            action: '/patients',
            intakeId,
            ...errorContext(errors, HREF_FOR),
            ...extra,
          });
        const formErrors = dateErrorsWithOthers(raw, dateError, todayIn(deps.clock, deps.config.timeZone));
        if (formErrors) {
          return renderErrors(formErrors, 400);
        }
        try {
          const patient = await patients.create(actor(request), raw, {
            confirmNotDuplicate: f.confirmNotDuplicate === 'yes',
          });
          // Registered from an email referral: back to the email, which says so.
          const next = intakeId
            ? `/intake/${intakeId}?registered=${patient.id}`
            : `/patients/${patient.id}?created=1`;
          return await reply.redirect(next, 303);
        } catch (err) {
          if (err instanceof AppError && err.reason === 'LIKELY_DUPLICATE_PATIENT') {
            return renderErrors([CONFIRM_DUPLICATE_ERROR], err.status, {
              possibleDuplicates: err.details.possibleDuplicates,
            });
          }
          if (
            err instanceof AppError &&
            (err.code === 'VALIDATION_FAILED' || err.code === 'DUPLICATE_NHS_NUMBER')
          ) {
            return renderErrors(err.fieldErrors, err.status, {
              existingPatientId: err.details.existingPatientId,
            });
          }
          throw err;
        }
      },
    );

    app.get<{ Params: { id: string } }>(
      '/patients/:id',
      { config: { access: read } },
      async (request, reply) => {
        const overview = await patients.overview(actor(request), request.params.id);
        // The overview holds the patient and each implanted pump with its prescription in force.
        const cards = await deps.services.documents.cardStandingsOf(
          overview.patient,
          overview.pumps.map((p) => ({ pump: p.pump, active: p.current })),
        );
        const q = formFields(request.query);
        const role = requireAuth(request).user.role;
        const view = overviewView(overview);
        return reply.page('pages/patients/show.njk', {
          ...view,
          pumps: view.pumps.map((p) => ({ ...p, card: cardStandingView(p.id, cards.get(p.id)) })),
          lifeEvents: overviewLifeEvents(overview.lifeEvents),
          canRecordLifeEvents: roleHasPermission(role, 'patient:write'),
          canRecordEnds: roleHasPermission(role, 'pump:manage'),
          created: q.created === '1',
          saved: q.saved === '1',
          canEdit: roleHasPermission(role, 'patient:write'),
          canRefer: roleHasPermission(role, 'referral:write'),
        });
      },
    );

    app.get<{ Params: { id: string } }>(
      '/patients/:id/edit',
      { config: { access: write } },
      async (request, reply) => {
        const patient = await patients.view(actor(request), request.params.id);
        return reply.page('pages/patients/form.njk', {
          title: `Edit ${patient.givenName} ${patient.familyName}`,
          values: valuesFromPatient(patient),
          version: patient.version,
          sexItems,
          action: `/patients/${patient.id}`,
          patientId: patient.id,
        });
      },
    );

    app.post<{ Params: { id: string } }>(
      '/patients/:id',
      { config: { access: write } },
      async (request, reply) => {
        const f = formFields(request.body);
        const { raw, dateError } = patientFromForm(f);
        const version = formVersion(f);
        const render = (errors: readonly FieldError[], status: number, conflict?: string) =>
          reply.status(status).page('pages/patients/form.njk', {
            title: 'Edit patient details',
            values: formValues(f),
            version: f.version,
            sexItems,
            action: `/patients/${request.params.id}`,
            patientId: request.params.id,
            conflict,
            ...errorContext(errors, HREF_FOR),
          });
        if (version === null) {
          return render(
            [
              {
                field: 'version',
                message: 'The form is missing its version: open the record and edit it again',
              },
            ],
            400,
          );
        }
        const formErrors = dateErrorsWithOthers(raw, dateError, todayIn(deps.clock, deps.config.timeZone));
        if (formErrors) {
          return render(formErrors, 400);
        }
        try {
          await patients.update(actor(request), request.params.id, version, raw);
        } catch (err) {
          if (
            err instanceof AppError &&
            (err.code === 'VALIDATION_FAILED' || err.code === 'DUPLICATE_NHS_NUMBER')
          ) {
            return render(err.fieldErrors, err.status);
          }
          if (err instanceof AppError && err.code === 'STALE_EDIT') {
            return render([], 409, err.message);
          }
          throw err;
        }
        return reply.redirect(`/patients/${request.params.id}?saved=1`, 303);
      },
    );
  };
}
