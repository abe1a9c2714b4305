import type { RouteDeps } from '../../../compose.ts';
import { parsePlainDate } from '../../../domain/calendar-date.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { checkNhsNumber, NHS_NUMBER_MESSAGES } from '../../../domain/nhs-number.ts';
import type { AuditFilter } from '../../../storage/audit.repository.ts';
import { formFields } from '../form.ts';

export type FilterQuery = {
  nhsNumber?: string;
  username?: string;
  from?: string;
  to?: string;
  before?: string;
};

/**
 * The filter as text: a parameter given twice (`?from=a&from=b`, which the query parser hands
 * on as an array) counts by its last value, as a repeated form field does, so no filter is
 * ever a list where the code expects a string.
 */
export function filterQuery(query: unknown): FilterQuery {
  return formFields(query);
}

/** Turns the filter form into a query; dates are whole UTC days, as the trail records UTC. */
export async function parseFilter(
  deps: RouteDeps,
  q: FilterQuery,
): Promise<{ filter: AuditFilter; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const filter: { -readonly [K in keyof AuditFilter]: AuditFilter[K] } = {};
  if (q.nhsNumber?.trim()) {
    const checked = checkNhsNumber(q.nhsNumber);
    if (!checked.ok) {
      errors.push({ field: 'nhsNumber', message: NHS_NUMBER_MESSAGES[checked.problem] });
    } else {
      filter.patientId = await deps.services.audit.patientFilter(checked.value);
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
