import { z } from 'zod';
import type { PlainDate } from './calendar-date.ts';
import { zodIssuesToFieldErrors, type FieldError, type Validated } from './field-error.ts';
import { optionalText, requiredText } from './schema-fields.ts';

/**
 * What the first appointment decided, as a next step the pathway can act on rather than a note
 * to be read: start the selection assessment for ITB (clinical-reference.md 2), discharge back
 * to the referrer with a letter, see the patient again (rebook), or refer to another service.
 * The consultant or nurse specialist who saw the patient records it, with the summary the clinic
 * letter quotes word for word.
 */
export const NEXT_STEPS = ['selection-assessment', 'discharge', 'rebook', 'refer-elsewhere'] as const;
export type NextStep = (typeof NEXT_STEPS)[number];

export const NEXT_STEP_LABELS: Readonly<Record<NextStep, string>> = {
  'selection-assessment': 'Start a selection assessment',
  discharge: 'Discharge with a letter',
  rebook: 'Rebook: see the patient again',
  'refer-elsewhere': 'Refer elsewhere',
};

export const NEXT_STEP_HINTS: Readonly<Record<NextStep, string>> = {
  'selection-assessment': 'Assess whether intrathecal baclofen is right for the patient',
  discharge: 'Back to the care of the referrer; they can refer again if things change',
  rebook: 'Another first-clinic appointment is needed before deciding',
  'refer-elsewhere': 'Another service is better placed to help; say which',
};

const SUMMARY_MAX = 5000;

const outcomeSchema = z.object({
  nextStep: z.enum(NEXT_STEPS, {
    error: 'Select the next step: selection assessment, discharge, rebook or refer elsewhere',
  }),
  summary: requiredText('Summary for the clinic letter', SUMMARY_MAX),
  referTo: optionalText('Service referred to', 200),
});

export interface FirstAppointmentOutcomeInput {
  readonly nextStep: NextStep;
  /** What was found and agreed, in the clinician's words: the clinic letter quotes it. */
  readonly summary: string;
  /** The service the patient is referred to; set only when the next step is 'refer-elsewhere'. */
  readonly referTo: string | null;
}

/** A referral elsewhere names the service; what does not belong to the next step is dropped. */
export function validateFirstAppointmentOutcome(raw: unknown): Validated<FirstAppointmentOutcomeInput> {
  const parsed = outcomeSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
  }
  const v = parsed.data;
  const errors: FieldError[] = [];
  if (v.nextStep === 'refer-elsewhere' && v.referTo === null) {
    errors.push({ field: 'referTo', message: 'Enter the service the patient is referred to' });
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      nextStep: v.nextStep,
      summary: v.summary,
      referTo: v.nextStep === 'refer-elsewhere' ? v.referTo : null,
    },
  };
}

/** Why an outcome cannot be recorded on this appointment now, as the refusal reason says it. */
export type OutcomeBar =
  'FIRST_APPOINTMENT_CANCELLED' | 'FIRST_APPOINTMENT_NOT_YET_DUE' | 'FIRST_APPOINTMENT_NEXT_STEP_RECORDED';

/**
 * An outcome is recorded once per appointment, on or after its day, and never on a cancelled one
 * (a patient who did not attend is cancelled as such). Null when it can be recorded.
 */
export function outcomeBar(
  appointment: { readonly state: string; readonly date: PlainDate },
  today: PlainDate,
  alreadyRecorded: boolean,
): OutcomeBar | null {
  if (appointment.state === 'cancelled') {
    return 'FIRST_APPOINTMENT_CANCELLED';
  }
  if (alreadyRecorded) {
    return 'FIRST_APPOINTMENT_NEXT_STEP_RECORDED';
  }
  if (appointment.date > today) {
    return 'FIRST_APPOINTMENT_NOT_YET_DUE';
  }
  return null;
}

/** Where the pathway goes next from this outcome: the page that does it, or null when nothing. */
export function nextStepLink(
  nextStep: NextStep,
  ids: { readonly patientId: string; readonly referralId: string },
): { readonly text: string; readonly href: string } | null {
  switch (nextStep) {
    case 'selection-assessment':
      return {
        text: 'Start the selection assessment',
        href: `/patients/${ids.patientId}/assessments/new?referralId=${ids.referralId}`,
      };
    case 'rebook':
      return { text: 'Book the next appointment', href: `/referrals/${ids.referralId}/appointments/new` };
    case 'discharge':
    case 'refer-elsewhere':
      return null;
  }
}
