import { z } from 'zod';
import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import { ORIGINS, PHASES } from './dose-change.ts';
import { doseProgrammeSchema, programmeErrors, type DoseProgramme } from './dose-programme.ts';
import type { FieldError, Validated } from './field-error.ts';
import { zodIssuesToFieldErrors } from './patient.ts';
import { findPumpModel } from './pump-device.ts';
import type { HardLimits } from './pump-rules.ts';
import { concentrationErrors } from './refill-arithmetic.ts';
import { optionalText, plainDateField, requiredText } from './schema-fields.ts';

/**
 * What staff and other systems send for pumps, prescriptions, refills and appointments, and the
 * rules on it. Numbers arrive as JSON numbers (API) or text (forms): both go through `decimal`,
 * which refuses units typed into the box ("2 mg") and empty boxes rather than reading them as 0.
 */
export const decimal = (label: string, unit: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `${label} must be a number of ${unit}, digits only (no units)` })
      .min(0, { error: `${label} must be 0 or more` }),
  );

export const DRUGS = [{ id: 'baclofen', label: 'Baclofen (intrathecal)' }] as const;
export type DrugId = (typeof DRUGS)[number]['id'];

export const PUMP_EVENT_KINDS = [
  'revision',
  'catheter-revision',
  'eri',
  'mri',
  'replacement',
  'explant',
  'other',
  'death',
  'transfer',
  'end-corrected',
  'paused',
  'resumed',
] as const;
export type PumpEventKind = (typeof PUMP_EVENT_KINDS)[number];
const END_BY_REQUEST =
  'Record an explant, death or transfer of care as a request to end the pump: it leaves the worklist only when a second clinician confirms it';
const OWN_FORM = 'Correct an end, pause or resume a pump with its own form, not as an event';
/**
 * Kinds written by their own steps, never as a plain event, with what to do instead. Ending a
 * pump without its successor, or on one person's word, would drop the patient from the worklist
 * (H-017, H-035): a replacement is recorded by registering the new pump, and an explant, death
 * or transfer by an end request a second clinician confirms (pump-lifecycle.ts).
 */
const RECORDED_ELSEWHERE: Partial<Record<PumpEventKind, string>> = {
  replacement: 'Register the new pump and say which pump it replaces: that records the replacement',
  explant: END_BY_REQUEST,
  death: END_BY_REQUEST,
  transfer: END_BY_REQUEST,
  'end-corrected': OWN_FORM,
  paused: OWN_FORM,
  resumed: OWN_FORM,
};
/** The kinds staff record directly. */
export const RECORDABLE_EVENT_KINDS: readonly PumpEventKind[] = PUMP_EVENT_KINDS.filter(
  (k) => RECORDED_ELSEWHERE[k] === undefined,
);
export const PUMP_EVENT_LABELS: Readonly<Record<PumpEventKind, string>> = {
  revision: 'Pump revision',
  'catheter-revision': 'Catheter revision',
  eri: 'Elective replacement indicator (ERI) alarm',
  mri: 'MRI scan',
  replacement: 'Pump replaced',
  explant: 'Pump removed (explant)',
  other: 'Other',
  death: 'Patient died',
  transfer: 'Care transferred to another service',
  'end-corrected': 'End of the pump record corrected: back on the worklist',
  paused: 'Pump paused',
  resumed: 'Pump resumed',
};

export const REFILL_COMPLICATIONS = ['suspected-pocket-fill', 'difficult-access', 'other'] as const;
export type RefillComplication = (typeof REFILL_COMPLICATIONS)[number];
export const REFILL_COMPLICATION_LABELS: Readonly<Record<RefillComplication, string>> = {
  'suspected-pocket-fill': 'Suspected pocket fill',
  'difficult-access': 'Difficult access',
  other: 'Other complication',
};

export const APPOINTMENT_KINDS = ['refill', 'review', 'replacement'] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];
export const APPOINTMENT_STATES = ['booked', 'attended', 'missed', 'cancelled'] as const;
export type PumpAppointmentState = (typeof APPOINTMENT_STATES)[number];

function parse<T>(schema: z.ZodType<T>, raw: unknown): Validated<T> {
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
}

// ---------------------------------------------------------------- pump registration

const pumpSchema = z.object({
  modelId: z.string({ error: 'Choose the pump model' }).refine((v) => findPumpModel(v) !== undefined, {
    error: 'Choose the pump model',
  }),
  reservoirMl: decimal('Reservoir size', 'mL'),
  serialNumber: requiredText('Serial number', 40),
  implantedOn: plainDateField('Implant date'),
  surgeon: requiredText('Surgeon', 100),
  alarmMl: decimal('Low-reservoir alarm volume', 'mL'),
  catheterModel: optionalText('Catheter model', 100),
  catheterTipLevel: optionalText('Catheter tip level', 40),
  origin: z.enum(ORIGINS, { error: 'Choose spinal or cerebral origin' }),
  /** The implanted pump this one replaces; registering it ends the old one in the same step. */
  replacesPumpId: z
    .string({ error: 'Choose the pump this one replaces' })
    .nullish()
    .transform((v) => (v === '' || v === undefined ? null : v)),
});
export type PumpInput = z.infer<typeof pumpSchema>;

export function validatePumpInput(raw: unknown, today: PlainDate): Validated<PumpInput> {
  const result = parse(pumpSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  const model = findPumpModel(v.modelId);
  const errors: FieldError[] = [];
  if (model && !model.reservoirSizesMl.includes(v.reservoirMl)) {
    errors.push({
      field: 'reservoirMl',
      message: `Reservoir size for ${model.name} must be ${model.reservoirSizesMl.join(' or ')} mL`,
    });
  }
  if (v.alarmMl <= 0 || v.alarmMl >= v.reservoirMl) {
    errors.push({
      field: 'alarmMl',
      message:
        'Low-reservoir alarm volume must be more than 0 and less than the reservoir size; read it off the programmer',
    });
  }
  if (v.implantedOn > today) {
    errors.push({ field: 'implantedOn', message: 'Implant date must be today or in the past' });
  }
  return errors.length > 0 ? { ok: false, errors } : result;
}

// ---------------------------------------------------------------- pump events

const pumpEventSchema = z.object({
  kind: z.enum(PUMP_EVENT_KINDS, { error: 'Choose what happened' }),
  occurredOn: plainDateField('Date'),
  note: optionalText('Note', 2000),
});
export type PumpEventInput = z.infer<typeof pumpEventSchema>;

export function validatePumpEventInput(
  raw: unknown,
  implantedOn: PlainDate,
  today: PlainDate,
): Validated<PumpEventInput> {
  const result = parse(pumpEventSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  if (v.occurredOn > today) {
    return { ok: false, errors: [{ field: 'occurredOn', message: 'Date must be today or in the past' }] };
  }
  if (v.occurredOn < implantedOn) {
    return {
      ok: false,
      errors: [
        {
          field: 'occurredOn',
          message: `Date must be on or after the implant date, ${formatPlainDate(implantedOn)}`,
        },
      ],
    };
  }
  const elsewhere = RECORDED_ELSEWHERE[v.kind];
  if (elsewhere !== undefined) {
    return { ok: false, errors: [{ field: 'kind', message: elsewhere }] };
  }
  if ((v.kind === 'other' || v.kind === 'revision' || v.kind === 'catheter-revision') && v.note === null) {
    return { ok: false, errors: [{ field: 'note', message: 'Describe what was done' }] };
  }
  return result;
}

// ---------------------------------------------------------------- prescriptions

const prescriptionSchema = z.object({
  drug: z.enum(DRUGS.map((d) => d.id) as [DrugId], { error: 'Choose the drug' }).default('baclofen'),
  concentrationMcgPerMl: decimal('Concentration', 'mcg/mL'),
  programme: doseProgrammeSchema,
  phase: z.enum(PHASES, { error: 'Choose titration or maintenance' }),
  reason: optionalText('Reason', 2000),
});
export type PrescriptionInput = Omit<z.infer<typeof prescriptionSchema>, 'programme'> & {
  readonly programme: DoseProgramme;
};

export function validatePrescriptionInput(raw: unknown, ranges: HardLimits): Validated<PrescriptionInput> {
  const result = parse(prescriptionSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  // Keep only what the mode uses, so a simple programme never carries stray flex steps.
  const programme: DoseProgramme =
    v.programme.mode === 'simple'
      ? { ...v.programme, schedules: [] }
      : { ...v.programme, doseMcgPerDay: null };
  const errors = [
    ...concentrationErrors('concentrationMcgPerMl', v.concentrationMcgPerMl, ranges),
    ...programmeErrors(programme, ranges).map((e) => ({ ...e, field: `programme.${e.field}` })),
  ];
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { ...v, programme } };
}

// ---------------------------------------------------------------- refills

const refillSchema = z.object({
  performedOn: plainDateField('Refill date'),
  expectedResidualMl: decimal('Expected residual volume', 'mL'),
  withdrawnMl: decimal('Volume withdrawn', 'mL'),
  drug: z.enum(DRUGS.map((d) => d.id) as [DrugId], { error: 'Choose the drug' }).default('baclofen'),
  concentrationMcgPerMl: decimal('Concentration', 'mcg/mL'),
  batch: requiredText('Batch number', 40),
  expiresOn: plainDateField('Expiry date'),
  instilledMl: decimal('Volume instilled', 'mL'),
  alarmMl: decimal('Low-reservoir alarm volume', 'mL'),
  complications: z
    .array(z.enum(REFILL_COMPLICATIONS, { error: 'Choose complications from the list' }))
    .default([]),
  complicationNote: optionalText('Complication details', 2000),
  patientNote: optionalText('Note for the patient', 1000),
  /** A new programme set at this refill; null keeps the active prescription. */
  newPrescription: z.unknown().nullish().default(null),
});
export type RefillInput = Omit<z.infer<typeof refillSchema>, 'newPrescription'> & {
  readonly newPrescription: PrescriptionInput | null;
};

export interface RefillContext {
  readonly today: PlainDate;
  readonly implantedOn: PlainDate;
  readonly reservoirMl: number;
  /** The date of the latest refill already recorded for this pump, if any. */
  readonly lastRefillOn: PlainDate | null;
  readonly ranges: HardLimits;
}

function refillVolumeErrors(v: z.infer<typeof refillSchema>, reservoirMl: number): FieldError[] {
  const errors: FieldError[] = [];
  const within = (field: string, label: string, value: number) => {
    if (value > reservoirMl) {
      errors.push({
        field,
        message: `${label} (${value} mL) must not be more than the reservoir holds (${reservoirMl} mL)`,
      });
    }
  };
  within('expectedResidualMl', 'Expected residual volume', v.expectedResidualMl);
  within('withdrawnMl', 'Volume withdrawn', v.withdrawnMl);
  within('instilledMl', 'Volume instilled', v.instilledMl);
  if (v.instilledMl === 0) {
    errors.push({ field: 'instilledMl', message: 'Volume instilled must be more than 0 mL' });
  }
  if (v.alarmMl <= 0 || v.alarmMl >= reservoirMl) {
    errors.push({
      field: 'alarmMl',
      message: 'Low-reservoir alarm volume must be more than 0 and less than the reservoir size',
    });
  } else if (v.instilledMl > 0 && v.instilledMl <= v.alarmMl) {
    errors.push({
      field: 'instilledMl',
      message: `Volume instilled (${v.instilledMl} mL) must be more than the alarm volume (${v.alarmMl} mL), or the alarm sounds at once`,
    });
  }
  return errors;
}

function refillDateErrors(v: z.infer<typeof refillSchema>, ctx: RefillContext): FieldError[] {
  const errors: FieldError[] = [];
  if (v.performedOn > ctx.today) {
    errors.push({ field: 'performedOn', message: 'Refill date must be today or in the past' });
  } else if (v.performedOn < ctx.implantedOn) {
    errors.push({
      field: 'performedOn',
      message: `Refill date must be on or after the implant date, ${formatPlainDate(ctx.implantedOn)}`,
    });
  } else if (ctx.lastRefillOn !== null && v.performedOn < ctx.lastRefillOn) {
    errors.push({
      field: 'performedOn',
      message: `Refill date must be on or after the last refill, ${formatPlainDate(ctx.lastRefillOn)}`,
    });
  }
  // Expired drug is never instilled.
  if (v.expiresOn <= v.performedOn) {
    errors.push({
      field: 'expiresOn',
      message: 'The drug has expired: the expiry date must be after the refill date',
    });
  }
  return errors;
}

export function validateRefillInput(raw: unknown, ctx: RefillContext): Validated<RefillInput> {
  const result = parse(refillSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  const errors: FieldError[] = [
    ...refillVolumeErrors(v, ctx.reservoirMl),
    ...refillDateErrors(v, ctx),
    ...concentrationErrors('concentrationMcgPerMl', v.concentrationMcgPerMl, ctx.ranges),
  ];
  if (v.complications.includes('other') && v.complicationNote === null) {
    errors.push({ field: 'complicationNote', message: 'Describe the complication' });
  }
  let newPrescription: PrescriptionInput | null = null;
  if (v.newPrescription !== null) {
    const p = validatePrescriptionInput(
      { ...(v.newPrescription as object), concentrationMcgPerMl: v.concentrationMcgPerMl, drug: v.drug },
      ctx.ranges,
    );
    if (p.ok) {
      newPrescription = p.value;
    } else {
      errors.push(
        ...p.errors
          .filter((e) => e.field !== 'concentrationMcgPerMl')
          .map((e) => ({ ...e, field: `newPrescription.${e.field}` })),
      );
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { ...v, newPrescription } };
}

// ---------------------------------------------------------------- appointments

const appointmentSchema = z.object({
  kind: z.enum(APPOINTMENT_KINDS, { error: 'Choose refill, review or replacement' }),
  onDate: plainDateField('Appointment date'),
  note: optionalText('Note', 500),
});
export type PumpAppointmentInput = z.infer<typeof appointmentSchema>;
export function validateAppointmentInput(raw: unknown, today: PlainDate): Validated<PumpAppointmentInput> {
  const result = parse(appointmentSchema, raw);
  if (result.ok && result.value.onDate < today) {
    return { ok: false, errors: [{ field: 'onDate', message: 'Appointment date must be today or later' }] };
  }
  return result;
}

const appointmentUpdateSchema = z.object({
  state: z.enum(['attended', 'missed', 'cancelled'], { error: 'Choose attended, missed or cancelled' }),
  note: optionalText('Note', 500),
});
export function validateAppointmentUpdate(
  raw: unknown,
): Validated<{ state: 'attended' | 'missed' | 'cancelled'; note: string | null }> {
  return parse(appointmentUpdateSchema, raw);
}
