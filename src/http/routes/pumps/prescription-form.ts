import type { ClinicalWarning } from '../../../domain/clinical-warning.ts';
import { formatAmount } from '../../../domain/dose-range.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { formFields } from '../form.ts';
import {
  type ParsedProgramme,
  programmeFieldFor,
  programmeFromForm,
  PROGRAMME_HREFS,
  textOrNull,
} from './programme-form.ts';

/** The prescription change form as the service's input, and the service's answer placed back on it. */

export function prescriptionFromForm(body: unknown): ParsedProgramme {
  const f = formFields(body);
  const programme = programmeFromForm(f, '');
  return {
    raw: {
      drug: textOrNull(f.drug) ?? undefined,
      concentrationMcgPerMl: f.concentrationMcgPerMl ?? '',
      programme: programme.raw,
      phase: textOrNull(f.phase) ?? undefined,
      reason: f.reason ?? null,
    },
    stepRows: programme.stepRows,
  };
}

/** Prescription service errors renamed to the prescription form's fields. */
export function prescriptionFormErrors(errors: readonly FieldError[], body: unknown): FieldError[] {
  const { stepRows } = prescriptionFromForm(body);
  return errors.map((e) => ({
    message: e.message,
    field: e.field.startsWith('programme.')
      ? programmeFieldFor(e.field.slice('programme.'.length), '', stepRows)
      : e.field === 'programme'
        ? 'mode'
        : e.field,
  }));
}

export interface FormWarnings {
  /** Each warning's message, linking to the form field it concerns when there is one. */
  readonly list: readonly { readonly text: string; readonly href: string | null }[];
  /** "Did you mean 1,500 mcg/day?" by form field, for a dose a unit slip explains. */
  readonly suggestions: Readonly<Record<string, string>>;
}

/** The service's warnings (`error.details.warnings`) placed on the prescription form's fields. */
export function prescriptionFormWarnings(raw: unknown, body: unknown): FormWarnings {
  const warnings = Array.isArray(raw) ? (raw as ClinicalWarning[]) : [];
  const { stepRows } = prescriptionFromForm(body);
  const fieldOf = (field: string | undefined): string | null =>
    field === undefined
      ? null
      : field.startsWith('programme.')
        ? programmeFieldFor(field.slice('programme.'.length), '', stepRows)
        : field;
  const suggestions: Record<string, string> = {};
  for (const w of warnings) {
    const field = fieldOf(w.field);
    if (w.code === 'DOSE_OUTSIDE_USUAL_RANGE' && w.didYouMean !== undefined && field !== null) {
      suggestions[field] ??= `Did you mean ${formatAmount(w.didYouMean)} mcg/day?`;
    }
  }
  return {
    list: warnings.map((w) => {
      const field = fieldOf(w.field);
      return { text: w.message, href: field === null ? null : `#${PROGRAMME_HREFS('')[field] ?? field}` };
    }),
    suggestions,
  };
}
