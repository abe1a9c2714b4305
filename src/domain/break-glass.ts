import { z } from 'zod';
import { parsePlainDate, type PlainDate } from './calendar-date.ts';
import { zodIssuesToFieldErrors, type Validated } from './field-error.ts';
import { checkNhsNumber, NHS_NUMBER_MESSAGES, type NhsNumber } from './nhs-number.ts';

/**
 * Break-glass access: a clinician outside the ITB team (an emergency-department or on-call
 * doctor) opens one patient's emergency summary, and nothing else of the record, after stating
 * why. The patient is matched on the NHS number AND the date of birth together, so a mistyped
 * or guessed number finds nobody, and nothing about the patient is shown until the reason is
 * given: the search and the reason are one request. Pure: "now" is an argument.
 */

/** Shortest reason accepted: enough for "Attending A&E, drowsy" and more than "test" or "x". */
export const BREAK_GLASS_REASON_MIN = 10;
export const BREAK_GLASS_REASON_MAX = 500;

export const breakGlassReasonSchema = z
  .string({ error: 'Enter why you need this patient’s emergency summary' })
  .trim()
  .min(1, { error: 'Enter why you need this patient’s emergency summary' })
  .min(BREAK_GLASS_REASON_MIN, {
    error: `Reason must be at least ${String(BREAK_GLASS_REASON_MIN)} characters: say why you need the summary, for example "Patient in A&E, drowsy with slow breathing"`,
  })
  .max(BREAK_GLASS_REASON_MAX, {
    error: `Reason must be ${String(BREAK_GLASS_REASON_MAX)} characters or fewer`,
  });

export const breakGlassRequestSchema = z.object({
  nhsNumber: z.string({ error: NHS_NUMBER_MESSAGES.empty }).transform((raw, ctx) => {
    const checked = checkNhsNumber(raw);
    if (!checked.ok) {
      ctx.addIssue({ code: 'custom', message: NHS_NUMBER_MESSAGES[checked.problem] });
      return z.NEVER;
    }
    return checked.value;
  }),
  dateOfBirth: z
    .string({ error: 'Enter the date of birth' })
    .refine((v) => parsePlainDate(v) !== null, {
      error: 'Date of birth must be a real date in the format YYYY-MM-DD',
    })
    .transform((v) => v as PlainDate),
  reason: breakGlassReasonSchema,
});

export interface BreakGlassRequest {
  readonly nhsNumber: NhsNumber;
  readonly dateOfBirth: PlainDate;
  readonly reason: string;
}

export function validateBreakGlassRequest(raw: unknown): Validated<BreakGlassRequest> {
  const parsed = breakGlassRequestSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
}

/** When a grant made at `grantedAt` ends: BREAK_GLASS_HOURS later, to the millisecond. */
export function breakGlassExpiry(grantedAt: string, hours: number): string {
  return new Date(Date.parse(grantedAt) + hours * 3_600_000).toISOString();
}

/** A grant opens the summary from its start up to (not including) its expiry. */
export function grantIsLive(
  grant: { readonly grantedAt: string; readonly expiresAt: string },
  now: string,
): boolean {
  return grant.grantedAt <= now && now < grant.expiresAt;
}
