import { addDays, type PlainDate } from '../../../domain/calendar-date.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import {
  REFILL_COMPLICATION_LABELS,
  REFILL_COMPLICATIONS,
  validateRefillInput,
} from '../../../domain/refill-input.ts';
import type { RefillContext } from '../../../domain/refill-input.ts';
import type { Prescription } from '../../../storage/prescriptions.repository.ts';
import type { Pump } from '../../../storage/pumps.repository.ts';
import { dateFromParts, datePartsOf, formFields, formList } from '../form.ts';
import { programmeFieldFor, programmeFormValues, programmeFromForm } from '../pumps/programme-form.ts';

/**
 * The refill form. The programme set at the refill uses the prescription form's fields with the
 * prefix `np-`; they are read only when "Change the programme at this refill?" is answered yes
 * (no conditional reveal: the second fieldset is always on the page).
 */

const P = 'np-';

export const REFILL_HREFS: Record<string, string> = {
  performedOn: 'performedOn-day',
  expiresOn: 'expiresOn-day',
  [`${P}steps`]: `${P}steps`,
};

const text = (v: string | undefined): string | null => ((v ?? '').trim() === '' ? null : (v ?? '').trim());

interface ParsedRefill {
  readonly raw: Record<string, unknown>;
  readonly stepRows: readonly number[];
  readonly changeProgramme: string | null;
}

function parse(body: unknown): ParsedRefill {
  const f = formFields(body);
  const changeProgramme = text(f.changeProgramme);
  const programme = programmeFromForm(f, P);
  return {
    raw: {
      expectedResidualMl: f.expectedResidualMl ?? '',
      withdrawnMl: f.withdrawnMl ?? '',
      drug: text(f.drug) ?? undefined,
      concentrationMcgPerMl: f.concentrationMcgPerMl ?? '',
      batch: f.batch ?? '',
      instilledMl: f.instilledMl ?? '',
      alarmMl: f.alarmMl ?? '',
      complications: formList(body, 'complications'),
      complicationNote: f.complicationNote ?? null,
      patientNote: f.patientNote ?? null,
      newPrescription:
        changeProgramme === 'yes'
          ? {
              programme: programme.raw,
              phase: text(f[`${P}phase`]) ?? undefined,
              reason: f[`${P}reason`] ?? null,
            }
          : null,
    },
    stepRows: programme.stepRows,
    changeProgramme,
  };
}

/** The form element a refill service error belongs to. */
function fieldFor(field: string, stepRows: readonly number[]): string {
  if (field.startsWith('newPrescription.programme.')) {
    return programmeFieldFor(field.slice('newPrescription.programme.'.length), P, stepRows);
  }
  const renamed: Record<string, string> = {
    'newPrescription.programme': `${P}mode`,
    'newPrescription.phase': `${P}phase`,
    'newPrescription.reason': `${P}reason`,
    newPrescription: 'changeProgramme',
  };
  if (renamed[field]) {
    return renamed[field];
  }
  return field.startsWith('complications') ? 'complications' : field;
}

/** Service errors renamed to the refill form's fields. */
export function refillFormErrors(errors: readonly FieldError[], body: unknown): FieldError[] {
  const { stepRows } = parse(body);
  return errors.map((e) => ({ field: fieldFor(e.field, stepRows), message: e.message }));
}

/**
 * The form as the service's input, or the form's own problems (dates that are not dates, the
 * programme question unanswered) together with every other problem, checked against today.
 */
export function refillFromForm(
  body: unknown,
  ctx: RefillContext,
): { readonly raw: Record<string, unknown>; readonly formErrors: FieldError[] | null } {
  const parsed = parse(body);
  const f = formFields(body);
  const performed = dateFromParts(f, 'performedOn', 'Refill date');
  const expires = dateFromParts(f, 'expiresOn', 'Expiry date');
  const own: FieldError[] = [performed.error, expires.error].filter((e): e is FieldError => e !== null);
  if (parsed.changeProgramme !== 'yes' && parsed.changeProgramme !== 'no') {
    own.push({ field: 'changeProgramme', message: 'Choose whether the programme changes at this refill' });
  }
  if (own.length === 0) {
    return { raw: { ...parsed.raw, performedOn: performed.date, expiresOn: expires.date }, formErrors: null };
  }
  const others = validateRefillInput(
    {
      ...parsed.raw,
      performedOn: performed.date ?? ctx.today,
      expiresOn: expires.date ?? addDays(performed.date ?? ctx.today, 1),
    },
    ctx,
  );
  const ownFields = new Set(own.map((e) => e.field));
  const rest = others.ok ? [] : refillFormErrors(others.errors, body).filter((e) => !ownFields.has(e.field));
  return { raw: parsed.raw, formErrors: [...own, ...rest] };
}

/** A new refill form: today, the concentration and programme running now, the pump's alarm volume. */
export function refillFormPrefill(
  today: PlainDate,
  pump: Pump,
  active: Prescription | null,
): Record<string, unknown> {
  return {
    performedOn: datePartsOf(today),
    expiresOn: datePartsOf(null),
    drug: active?.drug ?? 'baclofen',
    concentrationMcgPerMl: active ? String(active.concentrationMcgPerMl) : '',
    alarmMl: String(pump.alarmMl),
    changeProgramme: active ? 'no' : 'yes',
    complications: [],
    ...programmeFormValues(active?.programme ?? null, active?.phase ?? null, P),
  };
}

/** What the form shows again after a failed save. */
export function refillFormValues(body: unknown): Record<string, unknown> {
  const f = formFields(body);
  const parts = (name: string) => ({
    day: f[`${name}-day`] ?? '',
    month: f[`${name}-month`] ?? '',
    year: f[`${name}-year`] ?? '',
  });
  return {
    ...f,
    performedOn: parts('performedOn'),
    expiresOn: parts('expiresOn'),
    complications: formList(body, 'complications'),
  };
}

export const complicationChoices = REFILL_COMPLICATIONS.map((v) => ({
  value: v,
  text: REFILL_COMPLICATION_LABELS[v],
}));
