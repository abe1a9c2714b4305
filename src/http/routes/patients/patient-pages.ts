import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { SEX_LABELS } from '../../../domain/patient.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import { todayIn } from '../../../services/clock.ts';
import { parseSearchQuery } from '../../../domain/patient-search.ts';
import { AppError } from '../../../services/app-error.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields, formVersion } from '../form.ts';
import {
  dateErrorsWithOthers,
  formValues,
  HREF_FOR,
  patientFromForm,
  sexItems,
  valuesFromPatient,
} from './patient-form.ts';

export function patientRoutes(deps: RouteDeps): FastifyPluginAsync {
  const patients = deps.services.patients;
  const read = { permission: 'patient:read' } as const;
  const write = { permission: 'patient:write' } as const;

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
      const results = await patients.find(actorFor(requireAuth(request), request.id), parsed.criteria);
      return reply.page('pages/patients/search.njk', { title: 'Find a patient', q, results, searched: true });
    });

    app.get('/patients/new', { config: { access: write } }, async (_request, reply) => {
      return reply.page('pages/patients/form.njk', {
        title: 'Register a patient',
        values: {},
        sexItems,
        action: '/patients',
      });
    });

    app.post('/patients', { config: { access: write } }, async (request, reply) => {
      const f = formFields(request.body);
      const { raw, dateError } = patientFromForm(f);
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
          ...errorContext(errors, HREF_FOR),
          ...extra,
        });
      const formErrors = dateErrorsWithOthers(raw, dateError, todayIn(deps.clock, deps.config.timeZone));
      if (formErrors) {
        return renderErrors(formErrors, 400);
      }
      try {
        const patient = await patients.create(actorFor(requireAuth(request), request.id), raw);
        return await reply.redirect(`/patients/${patient.id}?created=1`, 303);
      } catch (err) {
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
    });

    app.get<{ Params: { id: string } }>(
      '/patients/:id',
      { config: { access: read } },
      async (request, reply) => {
        const { patient, updatedByName } = await patients.viewRecord(
          actorFor(requireAuth(request), request.id),
          request.params.id,
        );
        const q = formFields(request.query);
        return reply.page('pages/patients/show.njk', {
          title: `${patient.givenName} ${patient.familyName}`,
          patient,
          sexLabel: SEX_LABELS[patient.sex],
          updatedByName,
          created: q.created === '1',
          saved: q.saved === '1',
          canEdit: roleHasPermission(requireAuth(request).user.role, 'patient:write'),
        });
      },
    );

    app.get<{ Params: { id: string } }>(
      '/patients/:id/edit',
      { config: { access: write } },
      async (request, reply) => {
        const patient = await patients.view(actorFor(requireAuth(request), request.id), request.params.id);
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
          await patients.update(actorFor(requireAuth(request), request.id), request.params.id, version, raw);
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
