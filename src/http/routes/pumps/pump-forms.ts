import type { PlainDate } from '../../../domain/calendar-date.ts';
import { ORIGIN_LABELS, ORIGINS, PHASE_LABELS, PHASES } from '../../../domain/dose-change.ts';
import { PROGRAMME_MODE_LABELS, PROGRAMME_MODES } from '../../../domain/dose-programme.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { PUMP_MODELS } from '../../../domain/pump-device.ts';
import { DRUGS } from '../../../domain/prescription-input.ts';
import { APPOINTMENT_KINDS } from '../../../domain/pump-appointment-input.ts';
import { RECORDABLE_EVENT_KINDS, PUMP_EVENT_LABELS } from '../../../domain/pump-event-input.ts';
import { validatePumpInput } from '../../../domain/pump-input.ts';
import { dateFromParts, formFields } from '../form.ts';
import { FLEX_ROWS } from './programme-form.ts';

/** The pump registration form, and the choices the pump, prescription and refill forms offer. */

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
