import type { PlainDate } from '../../../domain/calendar-date.ts';
import type { ClinicalWarning } from '../../../domain/clinical-warning.ts';
import { ORIGIN_LABELS, ORIGINS, PHASE_LABELS, PHASES } from '../../../domain/dose-change.ts';
import {
  PROGRAMME_MODE_LABELS,
  PROGRAMME_MODES,
  type DoseProgramme,
} from '../../../domain/dose-programme.ts';
import { formatAmount } from '../../../domain/dose-range.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { PUMP_MODELS } from '../../../domain/pump-device.ts';
import { DRUGS } from '../../../domain/prescription-input.ts';
import { APPOINTMENT_KINDS } from '../../../domain/pump-appointment-input.ts';
import { RECORDABLE_EVENT_KINDS, PUMP_EVENT_LABELS } from '../../../domain/pump-event-input.ts';
import { validatePumpInput } from '../../../domain/pump-input.ts';
import { dateFromParts, formFields } from '../form.ts';

/**
 * The pump, prescription and programme forms. The page forms have flat names (`doseMcgPerDay`,
 * `step-2-rate`, `np-bolusDoseMcg` on the refill form); the services take the API's nested
 * shape. Errors on the nested fields are renamed back to the form's names, so the error
 * summary links to the box and the message shows beside it.
 */

/** Rows of flex steps the page offers; more (up to 13) or per-weekday schedules via the API. */
export const FLEX_ROWS = 6;

/**
 * A number typed in the form, null when empty; anything else goes on as text, so the service
 * refuses it with the field's own message ("2 mg" is not a number of mcg).
 */
export function numberOrText(value: string | undefined): number | string | null {
  const v = (value ?? '').trim();
  if (v === '') {
    return null;
  }
  return /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

const text = (v: string | undefined): string | null => ((v ?? '').trim() === '' ? null : (v ?? '').trim());

export interface ParsedProgramme {
  readonly raw: Record<string, unknown>;
  /** The form row each step in `raw` came from (empty rows are left out). */
  readonly stepRows: readonly number[];
}

/** The programme fields of a form (prefix '' on the prescription form, 'np-' on the refill form). */
export function programmeFromForm(f: Record<string, string>, p: string): ParsedProgramme {
  const mode = text(f[`${p}mode`]);
  const stepRows: number[] = [];
  const steps: Record<string, unknown>[] = [];
  for (let i = 0; i < FLEX_ROWS; i += 1) {
    const [start, end, rate] = ['start', 'end', 'rate'].map((k) => (f[`${p}step-${i}-${k}`] ?? '').trim());
    if (start === '' && end === '' && rate === '') {
      continue;
    }
    stepRows.push(i);
    steps.push({ start, end, rateMcgPerHour: numberOrText(rate) });
  }
  const bolusParts = [f[`${p}bolusDoseMcg`], f[`${p}bolusMaxPerDay`], f[`${p}bolusLockoutMinutes`]];
  const bolus = bolusParts.every((v) => text(v) === null)
    ? null
    : {
        doseMcg: numberOrText(bolusParts[0]),
        maxPerDay: numberOrText(bolusParts[1]),
        lockoutMinutes: numberOrText(bolusParts[2]),
      };
  return {
    raw: {
      mode: mode ?? undefined,
      doseMcgPerDay: mode === 'simple' ? numberOrText(f[`${p}doseMcgPerDay`]) : null,
      // The page's steps run every day; a schedule per weekday is entered through the API.
      schedules: mode === 'flex' ? [{ weekdays: [1, 2, 3, 4, 5, 6, 7], steps }] : [],
      bolus,
    },
    stepRows,
  };
}

/** The form element a programme error (field relative to the programme) belongs to. */
export function programmeFieldFor(field: string, p: string, stepRows: readonly number[]): string {
  const step = /^schedules\.\d+\.steps\.(\d+)\.(start|end|rateMcgPerHour)$/.exec(field);
  if (step) {
    const part = step[2] === 'rateMcgPerHour' ? 'rate' : (step[2] ?? 'start');
    return `${p}step-${String(stepRows[Number(step[1])] ?? 0)}-${part}`;
  }
  if (field.startsWith('schedules')) {
    return `${p}steps`;
  }
  const bolus: Record<string, string> = {
    'bolus.doseMcg': 'bolusDoseMcg',
    'bolus.maxPerDay': 'bolusMaxPerDay',
    'bolus.lockoutMinutes': 'bolusLockoutMinutes',
    bolus: 'bolusDoseMcg',
  };
  if (bolus[field]) {
    return `${p}${bolus[field]}`;
  }
  return field === 'doseMcgPerDay' ? `${p}doseMcgPerDay` : `${p}mode`;
}

// ---------------------------------------------------------------- prescription form

export function prescriptionFromForm(body: unknown): ParsedProgramme {
  const f = formFields(body);
  const programme = programmeFromForm(f, '');
  return {
    raw: {
      drug: text(f.drug) ?? undefined,
      concentrationMcgPerMl: f.concentrationMcgPerMl ?? '',
      programme: programme.raw,
      phase: text(f.phase) ?? undefined,
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

/** Where the summary links for fields whose first element has another id. */
export const PROGRAMME_HREFS = (p: string): Record<string, string> => ({
  [`${p}steps`]: `${p}steps`,
});

// ---------------------------------------------------------------- pump registration

export const PUMP_HREFS: Record<string, string> = { implantedOn: 'implantedOn-day' };

/** The pump form as the service's input; a bad implant date is reported with the other problems. */
export function pumpFromForm(
  body: unknown,
  today: PlainDate,
): { readonly raw: Record<string, unknown>; readonly formErrors: FieldError[] | null } {
  const f = formFields(body);
  const raw: Record<string, unknown> = {
    modelId: f.modelId,
    reservoirMl: f.reservoirMl ?? '',
    serialNumber: f.serialNumber,
    surgeon: f.surgeon,
    alarmMl: f.alarmMl ?? '',
    catheterModel: f.catheterModel ?? null,
    catheterTipLevel: f.catheterTipLevel ?? null,
    origin: f.origin,
    replacesPumpId: f.replacesPumpId ?? null,
  };
  const { date, error } = dateFromParts(f, 'implantedOn', 'Implant date');
  if (!error) {
    return { raw: { ...raw, implantedOn: date }, formErrors: null };
  }
  const others = validatePumpInput({ ...raw, implantedOn: today }, today);
  const rest = others.ok ? [] : others.errors.filter((e) => e.field !== 'implantedOn');
  return { raw, formErrors: [error, ...rest] };
}

/** Form values to show again: the fields as typed, with the date boxes split out. */
export function formValues(body: unknown, dateFields: readonly string[]): Record<string, unknown> {
  const f = formFields(body);
  const out: Record<string, unknown> = { ...f };
  for (const name of dateFields) {
    out[name] = {
      day: f[`${name}-day`] ?? '',
      month: f[`${name}-month`] ?? '',
      year: f[`${name}-year`] ?? '',
    };
  }
  return out;
}

// ---------------------------------------------------------------- choices

const MODEL_HINT = (m: (typeof PUMP_MODELS)[number]) =>
  `${m.manufacturer}; reservoir ${m.reservoirSizesMl.join(' or ')} mL`;

/** The choices the pump, prescription and refill forms offer, with their labels. */
export const pumpChoices = {
  models: PUMP_MODELS.map((m) => ({ value: m.id, text: m.name, hint: MODEL_HINT(m) })),
  reservoirs: [...new Set(PUMP_MODELS.flatMap((m) => m.reservoirSizesMl))].map((v) => ({
    value: String(v),
    text: `${String(v)} mL`,
  })),
  origins: ORIGINS.map((v) => ({ value: v, text: ORIGIN_LABELS[v] })),
  drugs: DRUGS.map((d) => ({ value: d.id, text: d.label })),
  modes: PROGRAMME_MODES.map((v) => ({ value: v, text: PROGRAMME_MODE_LABELS[v] })),
  phases: PHASES.map((v) => ({ value: v, text: PHASE_LABELS[v] })),
  eventKinds: RECORDABLE_EVENT_KINDS.map((v) => ({ value: v, text: PUMP_EVENT_LABELS[v] })),
  appointmentKinds: APPOINTMENT_KINDS.map((v) => ({
    value: v,
    text: v === 'refill' ? 'Refill' : v === 'review' ? 'Review' : 'Pump replacement',
  })),
  flexRows: Array.from({ length: FLEX_ROWS }, (_, i) => i),
};

/** A programme as the form's flat fields, to start a change from the one running now. */
export function programmeFormValues(
  programme: DoseProgramme | null,
  phase: string | null,
  p: string,
): Record<string, string> {
  if (!programme) {
    return {};
  }
  const out: Record<string, string> = { [`${p}mode`]: programme.mode };
  if (phase !== null) {
    out[`${p}phase`] = phase;
  }
  if (programme.mode === 'simple') {
    out[`${p}doseMcgPerDay`] = String(programme.doseMcgPerDay ?? '');
  }
  // Only a schedule for every day fits the page's rows; per-weekday schedules start empty.
  const [only] = programme.schedules;
  if (programme.schedules.length === 1 && only && only.steps.length <= FLEX_ROWS) {
    only.steps.forEach((s, i) => {
      out[`${p}step-${String(i)}-start`] = s.start;
      out[`${p}step-${String(i)}-end`] = s.end;
      out[`${p}step-${String(i)}-rate`] = String(s.rateMcgPerHour);
    });
  }
  if (programme.bolus) {
    out[`${p}bolusDoseMcg`] = String(programme.bolus.doseMcg);
    out[`${p}bolusMaxPerDay`] = String(programme.bolus.maxPerDay);
    out[`${p}bolusLockoutMinutes`] = String(programme.bolus.lockoutMinutes);
  }
  return out;
}
