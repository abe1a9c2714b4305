import type { RouteDeps } from '../../../compose.ts';
import type { PlainDate } from '../../../domain/calendar-date.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { checkNhsNumber, NHS_NUMBER_MESSAGES } from '../../../domain/nhs-number.ts';
import { localDaysAsUtc, parseUkDateText } from '../../../domain/uk-date-text.ts';
import { RECORD_VIEW_ACTIONS } from '../../../services/audit-query-service.ts';
import type { AuditFilter } from '../../../storage/audit.repository.ts';
import { formFields } from '../form.ts';

export type FilterQuery = {
  nhsNumber?: string;
  username?: string;
  from?: string;
  to?: string;
  /** 'views': only the actions that show a record ("who opened this patient's record?"). */
  what?: string;
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

const DATE_LABELS = { from: 'From', to: 'To' } as const;

/**
 * Turns the filter form into a query. Dates are UK dates ("7 March 2026", "07/03/2026") and
 * mean whole days in the service's time zone: in British Summer Time a day starts at 23:00 UTC
 * the day before, and the trail stores UTC.
 */
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
  const days: { from: PlainDate | null; to: PlainDate | null } = { from: null, to: null };
  for (const key of ['from', 'to'] as const) {
    const raw = q[key]?.trim();
    if (raw) {
      days[key] = parseUkDateText(raw);
      if (!days[key]) {
        errors.push({
          field: key,
          message: `${DATE_LABELS[key]} date must be a real date, for example 7 March 2026 or 07/03/2026`,
        });
      }
    }
  }
  if (days.from && days.to && days.from > days.to) {
    errors.push({ field: 'to', message: 'To date must be the same as or after the from date' });
  }
  Object.assign(filter, localDaysAsUtc(days.from, days.to, deps.config.timeZone));
  if (q.what === 'views') {
    filter.actions = RECORD_VIEW_ACTIONS;
  }
  return { filter, errors };
}
