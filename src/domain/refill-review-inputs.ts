import { z } from 'zod';
import { zodIssuesToFieldErrors, type FieldError, type Validated } from './field-error.ts';
import { decimal } from './schema-fields.ts';
import { optionalText, plainDateField, requiredText } from './schema-fields.ts';

/**
 * What staff and other systems send about a refill after it is recorded: the review of its
 * flags, the checker's rejection, and corrections to a signed refill (refill-input.ts holds the
 * refill itself). Numbers go through `decimal`, as everywhere, so "18 mL" is refused, not read.
 */

function parse<T>(schema: z.ZodType<T>, raw: unknown): Validated<T> {
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
}

export const reviewInputSchema = z.object({
  note: requiredText('Review of the discrepancy', 2000),
  withdrawalSignsChecked: z.unknown().optional(),
  withdrawalSignsFound: optionalText('What the check for signs of withdrawal found', 2000),
});

export interface ReviewInput {
  readonly note: string;
  /** True when the patient was checked for signs of withdrawal (required after RAN_DRY or AFTER_ALARM). */
  readonly withdrawalSignsChecked: boolean | null;
  readonly withdrawalSignsFound: string | null;
}

/** A yes from a form ("yes") or JSON (true); anything else is not a yes. */
function isYes(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'yes');
}

/**
 * The written review of a flagged refill. After a pump ran dry or was refilled on or after its
 * alarm date, the review must also record that the patient was checked for signs of baclofen
 * withdrawal and what was found (clinical-reference.md 8): the flag is about the patient, not
 * only the pump.
 */
export function validateReviewInput(
  raw: unknown,
  ctx: { readonly withdrawalCheckRequired: boolean },
): Validated<ReviewInput> {
  const result = parse(reviewInputSchema, raw);
  const body = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const errors: FieldError[] = result.ok ? [] : [...result.errors];
  if (ctx.withdrawalCheckRequired) {
    if (!isYes(body.withdrawalSignsChecked)) {
      errors.push({
        field: 'withdrawalSignsChecked',
        message:
          'Check the patient for signs of baclofen withdrawal and confirm it: the pump ran dry or was refilled on or after its alarm date',
      });
    }
    const found = typeof body.withdrawalSignsFound === 'string' ? body.withdrawalSignsFound.trim() : '';
    if (found === '' && !errors.some((e) => e.field === 'withdrawalSignsFound')) {
      errors.push({
        field: 'withdrawalSignsFound',
        message: 'Enter what the check for signs of withdrawal found, for example "none found"',
      });
    }
  }
  if (!result.ok || errors.length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      note: result.value.note,
      withdrawalSignsChecked: ctx.withdrawalCheckRequired || isYes(body.withdrawalSignsChecked) ? true : null,
      withdrawalSignsFound: result.value.withdrawalSignsFound,
    },
  };
}

/** Why the checker rejects a refill that is recorded but not signed. */
export const rejectInputSchema = z.object({ reason: requiredText('Reason for rejecting the refill', 2000) });
export function validateRejectInput(raw: unknown): Validated<{ reason: string }> {
  return parse(rejectInputSchema, raw);
}

/** Fields a signed refill may be amended in at once, with a reason: none of them changes the plan. */
export const AMENDABLE_REFILL_FIELDS = ['batch', 'expiresOn', 'complicationNote', 'patientNote'] as const;
export type AmendableRefillField = (typeof AMENDABLE_REFILL_FIELDS)[number];

/**
 * The volumes the plan rests on: a correction is pending until a second, different clinician
 * confirms it, and then moves the refill's alarm and due dates.
 */
export const VOLUME_AMENDMENT_FIELDS = ['alarmMl', 'instilledMl'] as const;
export type VolumeAmendmentField = (typeof VOLUME_AMENDMENT_FIELDS)[number];

const optionalVolume = (label: string) =>
  z.preprocess((v) => (v === '' || v === undefined ? null : v), decimal(label, 'mL').nullable());

export const amendmentInputSchema = z.object({
  reason: requiredText('Reason for the amendment', 2000),
  batch: optionalText('Batch number', 40),
  expiresOn: plainDateField('Expiry date').nullish().default(null),
  complicationNote: optionalText('Complication details', 2000),
  patientNote: optionalText('Note for the patient', 1000),
  alarmMl: optionalVolume('Corrected low-reservoir alarm volume'),
  instilledMl: optionalVolume('Corrected volume instilled'),
});
export type AmendmentInput = z.infer<typeof amendmentInputSchema>;
export function validateAmendmentInput(raw: unknown): Validated<AmendmentInput> {
  const result = parse(amendmentInputSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  const volumes = VOLUME_AMENDMENT_FIELDS.some((f) => v[f] !== null);
  const others = AMENDABLE_REFILL_FIELDS.some((f) => v[f] !== null);
  if (!volumes && !others) {
    return { ok: false, errors: [{ field: 'batch', message: 'Enter at least one corrected value' }] };
  }
  if (volumes && others) {
    // A volume correction waits for a second clinician; the other fields do not: one at a time,
    // so nobody believes a volume took effect with the batch number.
    return {
      ok: false,
      errors: [
        {
          field: v.instilledMl !== null ? 'instilledMl' : 'alarmMl',
          message:
            'Correct the volumes on their own: a volume correction waits for a second clinician to confirm it',
        },
      ],
    };
  }
  return result;
}

/**
 * A volume correction checked as the refill form checks the volumes: the fill within the
 * reservoir and above the alarm volume, the alarm volume above 0 and below the reservoir size.
 */
export function volumeAmendmentErrors(
  v: Pick<AmendmentInput, VolumeAmendmentField>,
  reservoirMl: number,
  current: { readonly alarmMl: number; readonly instilledMl: number },
): FieldError[] {
  const errors: FieldError[] = [];
  const instilled = v.instilledMl ?? current.instilledMl;
  const alarm = v.alarmMl ?? current.alarmMl;
  if (v.instilledMl !== null && (v.instilledMl <= 0 || v.instilledMl > reservoirMl)) {
    errors.push({
      field: 'instilledMl',
      message: `Corrected volume instilled must be more than 0 mL and not more than the reservoir holds (${String(reservoirMl)} mL)`,
    });
  }
  if (v.alarmMl !== null && (v.alarmMl <= 0 || v.alarmMl >= reservoirMl)) {
    errors.push({
      field: 'alarmMl',
      message: 'Corrected low-reservoir alarm volume must be more than 0 and less than the reservoir size',
    });
  }
  if (errors.length === 0 && instilled <= alarm) {
    errors.push({
      field: v.instilledMl !== null ? 'instilledMl' : 'alarmMl',
      message: `Volume instilled (${String(instilled)} mL) must be more than the alarm volume (${String(alarm)} mL)`,
    });
  }
  if (errors.length === 0 && VOLUME_AMENDMENT_FIELDS.every((f) => v[f] === null || v[f] === current[f])) {
    errors.push({
      field: 'instilledMl',
      message: 'Nothing differs from the record: enter the corrected volumes',
    });
  }
  return errors;
}

/** A decision on a pending volume correction: a note, required to reject. */
export function validateAmendmentDecision(raw: unknown, reject: boolean): Validated<{ note: string | null }> {
  const note =
    raw && typeof raw === 'object' && typeof (raw as Record<string, unknown>).note === 'string'
      ? ((raw as Record<string, unknown>).note as string).trim().slice(0, 2000)
      : '';
  if (reject && note === '') {
    return { ok: false, errors: [{ field: 'note', message: 'Enter why the correction is rejected' }] };
  }
  return { ok: true, value: { note: note === '' ? null : note } };
}
