import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../compose.ts';
import { parsePlainDate } from '../../domain/calendar-date.ts';
import type { FieldError } from '../../domain/field-error.ts';
import { checkNhsNumber, NHS_NUMBER_MESSAGES } from '../../domain/nhs-number.ts';
import { browseAudit, exportAuditCsv } from '../../services/audit-query-service.ts';
import type { AuditFilter } from '../../storage/audit.repository.ts';
import { findPatientByNhsNumber } from '../../storage/patients.repository.ts';
import { actorFor, requireAuth } from '../access.ts';
import { errorContext } from '../plugins/views.ts';
import { formFields } from './form.ts';

type FilterQuery = { nhsNumber?: string; username?: string; from?: string; to?: string; before?: string };

/**
 * The filter as text: a parameter given twice (`?from=a&from=b`, which the query parser hands
 * on as an array) counts by its last value, as a repeated form field does, so no filter is
 * ever a list where the code expects a string.
 */
function filterQuery(query: unknown): FilterQuery {
  return formFields(query);
}

/** Turns the filter form into a query; dates are whole UTC days, as the trail records UTC. */
async function parseFilter(
  deps: AppDeps,
  q: FilterQuery,
): Promise<{ filter: AuditFilter; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const filter: { -readonly [K in keyof AuditFilter]: AuditFilter[K] } = {};
  if (q.nhsNumber?.trim()) {
    const checked = checkNhsNumber(q.nhsNumber);
    if (!checked.ok) {
      errors.push({ field: 'nhsNumber', message: NHS_NUMBER_MESSAGES[checked.problem] });
    } else {
      const patient = await findPatientByNhsNumber(deps.database.db, checked.value);
      // An NHS number with no record matches nothing, rather than everything.
      filter.patientId = patient?.id ?? 'no-such-patient';
    }
  }
  if (q.username?.trim()) {
    filter.username = q.username.trim().toLowerCase();
  }
  for (const key of ['from', 'to'] as const) {
    const raw = q[key]?.trim();
    if (raw) {
      const d = parsePlainDate(raw);
      if (!d) {
        errors.push({
          field: key,
          message: `${key === 'from' ? 'From' : 'To'} date must be a real date in the format YYYY-MM-DD`,
        });
      } else {
        filter[key] = key === 'from' ? `${d}T00:00:00.000Z` : `${d}T23:59:59.999Z`;
      }
    }
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    errors.push({ field: 'to', message: 'To date must be the same as or after the from date' });
  }
  return { filter, errors };
}

export function auditRoutes(deps: AppDeps): FastifyPluginAsync {
  const svc = { db: deps.database.db, clock: deps.clock };
  const access = { permission: 'audit:read' } as const;

  return async (app) => {
    app.get('/audit', { config: { access } }, async (request, reply) => {
      const q = filterQuery(request.query);
      const { filter, errors } = await parseFilter(deps, q);
      if (errors.length > 0) {
        return reply
          .status(400)
          .page('pages/audit.njk', { title: 'Audit trail', q, rows: [], ...errorContext(errors) });
      }
      const before = q.before && /^\d+$/.test(q.before) ? Number(q.before) : undefined;
      const rows = await browseAudit(svc, actorFor(requireAuth(request), request.id), filter, before);
      const params = new URLSearchParams(
        Object.entries(q).flatMap(([k, v]): [string, string][] =>
          k !== 'before' && typeof v === 'string' && v !== '' ? [[k, v]] : [],
        ),
      );
      const last = rows.at(-1);
      return reply.page('pages/audit.njk', {
        title: 'Audit trail',
        q,
        rows,
        exportHref: `/audit/export.csv?${params.toString()}`,
        olderHref: last && rows.length >= 100 ? `/audit?${params.toString()}&before=${last.seq}` : null,
      });
    });

    app.get('/audit/export.csv', { config: { access } }, async (request, reply) => {
      const q = filterQuery(request.query);
      const { filter, errors } = await parseFilter(deps, q);
      if (errors.length > 0) {
        return reply.status(400).page('pages/audit.njk', {
          title: 'Audit trail',
          q,
          rows: [],
          ...errorContext(errors),
        });
      }
      const stamp = deps.clock.now().toISOString().slice(0, 10);
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="itb-audit-${stamp}.csv"`);
      return reply.send(
        Readable.from(exportAuditCsv(svc, actorFor(requireAuth(request), request.id), filter)),
      );
    });
  };
}
