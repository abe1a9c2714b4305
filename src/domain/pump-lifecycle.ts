import { z } from 'zod';
import { addDays, formatPlainDate, type PlainDate } from './calendar-date.ts';
import type { FieldError, Validated } from './field-error.ts';
import { optionalText, parseInput, plainDateField, requiredText } from './schema-fields.ts';

/**
 * How a pump leaves the worklist, and how it is paused without leaving it (hazards H-035 to
 * H-038). A pump that has stopped being refilled by this service (removed, the patient died,
 * care transferred) drops off the refill worklist: a mistake there means a patient whose pump
 * runs dry with nobody watching (withdrawal within 1–3 days [CONS], [FPN]). So ending a pump is a
 * request by one clinician, confirmed by a different one; until then the pump stays implanted
 * and on the list. A replacement is the same: registering the new pump asks for the old one's
 * end, and the old pump stays on the list, marked as ending, until a different clinician
 * confirms it. A confirmed end made by mistake is reversed the same way, two people again,
 * since it puts dates back on the list.
 */

export const PUMP_STATES = ['implanted', 'explanted', 'replaced', 'deceased', 'transferred'] as const;
export type PumpState = (typeof PUMP_STATES)[number];

export const PUMP_STATE_LABELS: Readonly<Record<PumpState, string>> = {
  implanted: 'Implanted',
  explanted: 'Removed (explanted)',
  replaced: 'Replaced',
  deceased: 'Patient died',
  transferred: 'Care transferred to another service',
};

/** The ways a pump ends that need a second clinician's confirmation. */
export const END_KINDS = ['explant', 'death', 'transfer'] as const;
export type EndKind = (typeof END_KINDS)[number];

export const END_KIND_LABELS: Readonly<Record<EndKind, string>> = {
  explant: 'Pump removed (explant)',
  death: 'Patient died',
  transfer: 'Care transferred to another service',
};

/** The state a confirmed end request leaves the pump in. */
export const ENDED_STATE: Readonly<Record<EndKind, PumpState>> = {
  explant: 'explanted',
  death: 'deceased',
  transfer: 'transferred',
};

/**
 * The ended states a correction may reverse: those reached through an explant, death or
 * transfer request. A replaced pump is not among them, since its successor is on the list in
 * its place.
 */
export const CORRECTABLE_STATES: readonly PumpState[] = Object.values(ENDED_STATE);

/**
 * An end request asks to end the pump: an explant, death or transfer asked for on the pump's
 * page, or a replacement, asked for by registering the new pump in its place (never on its own).
 * A correction asks to put a mistakenly ended pump back.
 */
export const END_REQUEST_KINDS = [...END_KINDS, 'replacement', 'correction'] as const;
export type EndRequestKind = (typeof END_REQUEST_KINDS)[number];

export const END_REQUEST_KIND_LABELS: Readonly<Record<EndRequestKind, string>> = {
  ...END_KIND_LABELS,
  replacement: 'Pump replaced by a new pump',
  correction: 'Correct a mistaken end: put the pump back on the worklist',
};

/**
 * Whether the user is the one who asked: they may withdraw the request, but only a different
 * clinician may confirm it (hazards H-035, H-036). The service refuses, and the page offers, by it.
 */
export function isOwnRequest(request: { readonly requestedBy: string }, userId: string): boolean {
  return request.requestedBy === userId;
}

/** The kinds that end a pump when confirmed: every kind but a correction. */
export type EndingKind = Exclude<EndRequestKind, 'correction'>;

/** The state a confirmed request to end the pump leaves it in, a replacement included. */
export function endedStateOf(kind: EndingKind): PumpState {
  return kind === 'replacement' ? 'replaced' : ENDED_STATE[kind];
}

/** The reason a replacement's end request gives, naming the pump that replaces it. */
export function replacementReason(newSerialNumber: string): string {
  return `Replaced by ${newSerialNumber}`;
}

export const END_REQUEST_STATES = ['pending', 'confirmed', 'rejected'] as const;
export type EndRequestState = (typeof END_REQUEST_STATES)[number];

export const PAUSE_REASONS = ['mri', 'surgery', 'other'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

// Whether the reservoir was emptied is asked on its own (`emptied`), so the labels say only why.
export const PAUSE_REASON_LABELS: Readonly<Record<PauseReason, string>> = {
  mri: 'For an MRI scan',
  surgery: 'For surgery',
  other: 'Other reason',
};

/** What a pause did to the drug in the reservoir, as the pump page and its events say it. */
export function pauseEmptiedLabel(emptied: boolean): string {
  return emptied ? 'reservoir emptied' : 'stopped with its drug inside (not emptied)';
}

// ---------------------------------------------------------------- ending a pump

export const endRequestInputSchema = z.object({
  kind: z.enum(END_KINDS, { error: 'Choose explant, death or transfer of care' }),
  endedOn: plainDateField('Date'),
  reason: requiredText('Reason', 2000),
});
export type EndRequestInput = z.infer<typeof endRequestInputSchema>;

/** An end request: what happened, when (from the implant date to today) and why. */
export function validateEndRequestInput(
  raw: unknown,
  implantedOn: PlainDate,
  today: PlainDate,
): Validated<EndRequestInput> {
  const result = parseInput(endRequestInputSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  if (v.endedOn > today) {
    return { ok: false, errors: [{ field: 'endedOn', message: 'Date must be today or in the past' }] };
  }
  if (v.endedOn < implantedOn) {
    return {
      ok: false,
      errors: [
        {
          field: 'endedOn',
          message: `Date must be on or after the implant date, ${formatPlainDate(implantedOn)}`,
        },
      ],
    };
  }
  return result;
}

export const correctionInputSchema = z.object({ reason: requiredText('Reason for the correction', 2000) });
export type CorrectionInput = z.infer<typeof correctionInputSchema>;

export function validateCorrectionInput(raw: unknown): Validated<CorrectionInput> {
  return parseInput(correctionInputSchema, raw);
}

export const endConfirmInputSchema = z.object({ note: optionalText('Note', 2000) });
export function validateEndConfirmInput(raw: unknown): Validated<{ note: string | null }> {
  return parseInput(endConfirmInputSchema, raw);
}

export const endRejectInputSchema = z.object({ reason: requiredText('Reason', 2000) });
export function validateEndRejectInput(raw: unknown): Validated<{ reason: string }> {
  return parseInput(endRejectInputSchema, raw);
}

// ---------------------------------------------------------------- pausing a pump

export const pauseInputSchema = z.object({
  reason: z.enum(PAUSE_REASONS, { error: 'Choose why the pump is paused' }),
  // Asked every time, with no default: an emptied pump's fill ended at the pause, a stopped
  // one's did not, and the next refill is judged differently (pausesSinceFill).
  emptied: z.boolean({ error: 'Say whether the reservoir was emptied: yes or no' }),
  note: optionalText('Note', 2000),
  pausedOn: plainDateField('Date paused'),
  resumeBy: plainDateField('Date to resume'),
});
export type PauseInput = z.infer<typeof pauseInputSchema>;

export interface PauseContext {
  readonly implantedOn: PlainDate;
  readonly today: PlainDate;
  /** pump-rules.ts maxPauseDays. */
  readonly maxPauseDays: number;
}

/**
 * A pause: why, whether the reservoir was emptied or the pump only stopped with its drug inside,
 * from when (the implant date to today: a pause is recorded when it happens, so a pump is never
 * shown paused while it is still running), and the date it is due to resume: after the pause
 * date, not in the past, and within the longest pause allowed.
 */
export function validatePauseInput(raw: unknown, ctx: PauseContext): Validated<PauseInput> {
  const result = parseInput(pauseInputSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  const errors: FieldError[] = [];
  if (v.reason === 'other' && v.note === null) {
    errors.push({ field: 'note', message: 'Say why the pump is paused' });
  }
  if (v.pausedOn > ctx.today) {
    errors.push({ field: 'pausedOn', message: 'Date paused must be today or in the past' });
  } else if (v.pausedOn < ctx.implantedOn) {
    errors.push({
      field: 'pausedOn',
      message: `Date paused must be on or after the implant date, ${formatPlainDate(ctx.implantedOn)}`,
    });
  }
  const latest = addDays(v.pausedOn, ctx.maxPauseDays);
  if (v.resumeBy <= v.pausedOn) {
    errors.push({ field: 'resumeBy', message: 'Date to resume must be after the date paused' });
  } else if (v.resumeBy < ctx.today) {
    errors.push({ field: 'resumeBy', message: 'Date to resume must be today or later' });
  } else if (v.resumeBy > latest) {
    errors.push({
      field: 'resumeBy',
      message: `Date to resume must be within ${String(ctx.maxPauseDays)} days of the date paused, by ${formatPlainDate(latest)}`,
    });
  }
  return errors.length > 0 ? { ok: false, errors } : result;
}

export const resumeInputSchema = z.object({
  resumedOn: plainDateField('Date resumed'),
  note: optionalText('Note', 2000),
});
export type ResumeInput = z.infer<typeof resumeInputSchema>;

/** A resume: when the pump restarted, from the pause date to today. */
export function validateResumeInput(
  raw: unknown,
  pausedOn: PlainDate,
  today: PlainDate,
): Validated<ResumeInput> {
  const result = parseInput(resumeInputSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  if (v.resumedOn > today) {
    return {
      ok: false,
      errors: [{ field: 'resumedOn', message: 'Date resumed must be today or in the past' }],
    };
  }
  if (v.resumedOn < pausedOn) {
    return {
      ok: false,
      errors: [
        {
          field: 'resumedOn',
          message: `Date resumed must be on or after the date paused, ${formatPlainDate(pausedOn)}`,
        },
      ],
    };
  }
  return result;
}

/**
 * After a pause the refill plan comes from the next refill: an emptied pump must be refilled
 * before its dates mean anything. The plan is kept only when the latest refill (signed or
 * awaiting its check) was done on or after the pause date; otherwise the pump has no plan and
 * the worklist escalates it until a refill is recorded.
 */
export function planSurvivesPause(latestRefillOn: PlainDate | null, pausedOn: PlainDate): boolean {
  return latestRefillOn !== null && latestRefillOn >= pausedOn;
}
