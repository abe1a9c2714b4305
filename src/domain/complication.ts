import { z } from 'zod';
import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import type { FieldError, Validated } from './field-error.ts';
import { optionalText, parseInput, plainDateField } from './schema-fields.ts';

/**
 * The complications register: the longer-term record of what went wrong with a patient's pump
 * or catheter, how it was treated and how it ended (docs/clinical-reference.md section 10).
 * Acute overdose and withdrawal emergencies are also recorded as emergency events, with alert
 * banners; here they are kept as register kinds so the service can count and review them
 * ([NSN-OD] suggests withdrawal, overdose and pocket fill as measures that should be zero).
 *
 * An entry may name one of the patient's pumps and say whether the pump, its catheter or both
 * were involved (hazard H-141: an entry linked to another patient's pump misleads the review of
 * that pump). A catheter fault without a pump named cannot be traced to the catheter it was
 * found in (H-142), so those kinds need the catheter named.
 */

export const COMPLICATION_KINDS = [
  'infection-wound',
  'infection-pocket',
  'meningitis',
  'csf-leak',
  'catheter-kink',
  'catheter-disconnection',
  'catheter-migration',
  'catheter-occlusion',
  'pump-stall',
  'pocket-fill',
  'revision-surgery',
  'overdose',
  'withdrawal',
  'other',
] as const;
export type ComplicationKind = (typeof COMPLICATION_KINDS)[number];

export const COMPLICATION_KIND_LABELS: Readonly<Record<ComplicationKind, string>> = {
  'infection-wound': 'Infection: wound',
  'infection-pocket': 'Infection: pump pocket',
  meningitis: 'Infection: meningitis',
  'csf-leak': 'CSF leak',
  'catheter-kink': 'Catheter fault: kink',
  'catheter-disconnection': 'Catheter fault: disconnection',
  'catheter-migration': 'Catheter fault: migration',
  'catheter-occlusion': 'Catheter fault: occlusion',
  'pump-stall': 'Pump stall',
  'pocket-fill': 'Pocket fill (seroma or fluid)',
  'revision-surgery': 'Revision surgery',
  overdose: 'Overdose event',
  withdrawal: 'Withdrawal event',
  other: 'Other complication',
};

/** Infections: the only kinds with an organism. */
export const INFECTION_KINDS: readonly ComplicationKind[] = [
  'infection-wound',
  'infection-pocket',
  'meningitis',
];
/** Catheter faults: found in a catheter, so the catheter must be named (H-142). */
export const CATHETER_KINDS: readonly ComplicationKind[] = [
  'catheter-kink',
  'catheter-disconnection',
  'catheter-migration',
  'catheter-occlusion',
];
/** Faults of the pump itself: the pump must be named. */
export const PUMP_KINDS: readonly ComplicationKind[] = ['pump-stall', 'pocket-fill', 'infection-pocket'];

/** What the entry is linked to, when it names one of the patient's pumps. */
export const DEVICE_LINKS = ['pump', 'catheter', 'pump-and-catheter'] as const;
export type DeviceLink = (typeof DEVICE_LINKS)[number];
export const DEVICE_LINK_LABELS: Readonly<Record<DeviceLink, string>> = {
  pump: 'The pump',
  catheter: 'The catheter',
  'pump-and-catheter': 'The pump and the catheter',
};

export const COMPLICATION_OUTCOMES = [
  'ongoing',
  'resolved',
  'resolved-with-lasting-effects',
  'device-removed',
  'died',
] as const;
export type ComplicationOutcome = (typeof COMPLICATION_OUTCOMES)[number];
export const COMPLICATION_OUTCOME_LABELS: Readonly<Record<ComplicationOutcome, string>> = {
  ongoing: 'Ongoing',
  resolved: 'Resolved',
  'resolved-with-lasting-effects': 'Resolved with lasting effects',
  'device-removed': 'Pump or catheter removed',
  died: 'Patient died',
};
/** Outcomes that say the complication is over, so they need the date it resolved. */
const RESOLVED_OUTCOMES: readonly ComplicationOutcome[] = ['resolved', 'resolved-with-lasting-effects'];

export const complicationInputSchema = z.object({
  kind: z.enum(COMPLICATION_KINDS, { error: 'Choose the kind of complication' }),
  onsetOn: plainDateField('Date of onset'),
  resolvedOn: plainDateField('Date resolved')
    .nullish()
    .transform((v) => v ?? null),
  pumpId: optionalText('Pump', 100),
  device: z
    .enum(DEVICE_LINKS, { error: 'Choose the pump, the catheter, or both' })
    .nullish()
    .transform((v) => v ?? null),
  organism: optionalText('Organism', 200),
  details: optionalText('What happened', 4000),
  actions: optionalText('Actions taken', 4000),
  outcome: z.enum(COMPLICATION_OUTCOMES, { error: 'Choose the outcome' }),
});
export type ComplicationInput = z.infer<typeof complicationInputSchema>;

/** An update is the whole entry again, with the version it was read at (a stale edit is refused). */
export const complicationUpdateSchema = complicationInputSchema.extend({
  version: z
    .number({ error: 'Version must be a whole number' })
    .int({ error: 'Version must be a whole number' }),
});
export type ComplicationUpdate = z.infer<typeof complicationUpdateSchema>;

/** The patient's pumps an entry may name, with the date each was implanted. */
export interface PatientPumpRef {
  readonly id: string;
  readonly implantedOn: PlainDate;
}

export interface ComplicationContext {
  readonly today: PlainDate;
  readonly pumps: readonly PatientPumpRef[];
}

function deviceErrors(v: ComplicationInput, pumps: readonly PatientPumpRef[]): FieldError[] {
  const catheterNeeded = CATHETER_KINDS.includes(v.kind);
  const pumpNeeded = PUMP_KINDS.includes(v.kind);
  if (v.pumpId === null) {
    if (catheterNeeded || pumpNeeded) {
      return [{ field: 'pumpId', message: 'Choose the pump this complication is linked to' }];
    }
    return v.device === null
      ? []
      : [{ field: 'pumpId', message: 'Choose the pump whose pump or catheter was involved' }];
  }
  const pump = pumps.find((p) => p.id === v.pumpId);
  if (!pump) {
    return [{ field: 'pumpId', message: 'Choose one of this patient’s pumps' }];
  }
  if (v.device === null) {
    return [{ field: 'device', message: 'Choose the pump, the catheter, or both' }];
  }
  if (catheterNeeded && v.device === 'pump') {
    return [{ field: 'device', message: 'A catheter fault is linked to the catheter: choose the catheter' }];
  }
  if (pumpNeeded && v.device === 'catheter') {
    return [{ field: 'device', message: 'This complication is linked to the pump: choose the pump' }];
  }
  if (v.onsetOn < pump.implantedOn) {
    return [
      {
        field: 'onsetOn',
        message: `Date of onset must be on or after the pump’s implant date, ${formatPlainDate(pump.implantedOn)}`,
      },
    ];
  }
  return [];
}

function dateAndOutcomeErrors(v: ComplicationInput, today: PlainDate): FieldError[] {
  const errors: FieldError[] = [];
  if (v.onsetOn > today) {
    errors.push({ field: 'onsetOn', message: 'Date of onset must be today or in the past' });
  }
  if (v.resolvedOn !== null) {
    if (v.outcome === 'ongoing') {
      errors.push({
        field: 'resolvedOn',
        message: 'An ongoing complication has no date resolved: leave it empty or choose the outcome',
      });
    } else if (v.resolvedOn > today) {
      errors.push({ field: 'resolvedOn', message: 'Date resolved must be today or in the past' });
    } else if (v.resolvedOn < v.onsetOn) {
      errors.push({ field: 'resolvedOn', message: 'Date resolved must be on or after the date of onset' });
    }
  } else if (RESOLVED_OUTCOMES.includes(v.outcome)) {
    errors.push({ field: 'resolvedOn', message: 'Enter the date resolved' });
  }
  return errors;
}

/**
 * An entry: dates from the onset (not in the future; not before the named pump's implant) to
 * the date resolved (needed when the outcome says it resolved; empty while ongoing); an organism
 * only for an infection; the pump one of the patient's own, linked to the pump or catheter as the
 * kind requires; "other" described.
 */
export function validateComplicationInput(
  raw: unknown,
  ctx: ComplicationContext,
): Validated<ComplicationInput> {
  const result = parseInput(complicationInputSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  const errors: FieldError[] = [...dateAndOutcomeErrors(v, ctx.today), ...deviceErrors(v, ctx.pumps)];
  if (v.organism !== null && !INFECTION_KINDS.includes(v.kind)) {
    errors.push({
      field: 'organism',
      message: 'An organism is recorded for an infection only: leave it empty',
    });
  }
  if (v.kind === 'other' && v.details === null) {
    errors.push({ field: 'details', message: 'Describe what happened' });
  }
  const seen = new Set<string>();
  const unique = errors.filter((e) => (seen.has(e.field) ? false : (seen.add(e.field), true)));
  return unique.length > 0 ? { ok: false, errors: unique } : result;
}

export function validateComplicationUpdate(
  raw: unknown,
  ctx: ComplicationContext,
): Validated<ComplicationUpdate> {
  const parsed = parseInput(complicationUpdateSchema, raw);
  if (!parsed.ok) {
    return parsed;
  }
  const checked = validateComplicationInput(raw, ctx);
  return checked.ok ? parsed : checked;
}

// ---------------------------------------------------------------- the service-wide register

export const registerFilterSchema = z.object({
  kind: z
    .enum(COMPLICATION_KINDS, { error: 'Choose a kind of complication from the list' })
    .nullish()
    .transform((v) => v ?? null),
  from: plainDateField('From date')
    .nullish()
    .transform((v) => v ?? null),
  to: plainDateField('To date')
    .nullish()
    .transform((v) => v ?? null),
});
export type RegisterFilter = z.infer<typeof registerFilterSchema>;

/** The register's filter: a kind, and onset dates from and to (either may be left out). */
export function validateRegisterFilter(raw: unknown): Validated<RegisterFilter> {
  const result = parseInput(registerFilterSchema, raw);
  if (
    result.ok &&
    result.value.from !== null &&
    result.value.to !== null &&
    result.value.to < result.value.from
  ) {
    return { ok: false, errors: [{ field: 'to', message: 'To date must be on or after the from date' }] };
  }
  return result;
}
