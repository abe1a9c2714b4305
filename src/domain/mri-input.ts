import { z } from 'zod';
import { addDays, formatPlainDate, type PlainDate } from './calendar-date.ts';
import type { FieldError, Validated } from './field-error.ts';
import type { MriPlanRules } from './mri-plan.ts';
import { optionalText, parseInput, plainDateField } from './schema-fields.ts';
import { instantField, instantFromLocal, localDateAndTime, MS_PER_HOUR } from './test-dose-time.ts';
import { formatDateTime } from './uk-date-time.ts';

/**
 * The MRI workflow's three records and their input rules: the plan (the checklist confirmed
 * before the scan), the scan (when it was done) and the post-scan check (the pump's findings),
 * and when that check falls due.
 */

export const MRI_STATES = ['planned', 'scanned', 'checked', 'cancelled'] as const;
export type MriState = (typeof MRI_STATES)[number];

export const MRI_STATE_LABELS: Readonly<Record<MriState, string>> = {
  planned: 'Planned: scan not yet recorded',
  scanned: 'Scanned: post-scan check waiting',
  checked: 'Checked after the scan',
  cancelled: 'Cancelled',
};

/** How far ahead a scan may be planned. */
export const MRI_PLAN_MAX_DAYS_AHEAD = 365;

// ---------------------------------------------------------------- the due time of the check

/**
 * When the post-scan check is due: by the end of the calendar day, in the service's time zone,
 * on which `dueHours` after the scan falls (pump-rules.ts mriCheckDueHours, default 0: the end
 * of the scan's own day). An instant: the start of the next local day, so a check recorded at
 * 23:59 that day is on time and one at 00:00 is late. UK midnight always exists (the clocks
 * change at 01:00 and 02:00 local time), so the day's end is never ambiguous.
 */
export function mriCheckDueAt(scannedAt: string, dueHours: number, timeZone: string): string {
  const from = new Date(Date.parse(scannedAt) + dueHours * MS_PER_HOUR).toISOString();
  const day = localDateAndTime(from, timeZone).date;
  const next = instantFromLocal('dueAt', 'Due', addDays(day, 1), '00:00', timeZone);
  if ('error' in next) {
    throw new Error(`midnight after ${day} does not exist in ${timeZone}`);
  }
  return next.instant;
}

/** Whether the check is late at `now`: due at or before now and not yet recorded. */
export function isMriCheckOverdue(dueAt: string, now: string): boolean {
  return Date.parse(dueAt) <= Date.parse(now);
}

// ---------------------------------------------------------------- the plan

const tesla = z.preprocess(
  (v) =>
    v === '' || v === undefined
      ? null
      : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)
        ? Number(v)
        : v,
  z
    .number({ error: 'Field strength must be a number of tesla, like 1.5 or 3, digits only' })
    .gt(0, { error: 'Field strength must be more than 0 tesla' })
    .max(11.7, { error: 'Field strength must be 11.7 tesla or less' })
    .nullable(),
);

export const mriPlanSchema = z.object({
  plannedOn: plainDateField('Planned scan date'),
  scanner: optionalText('Scanner or site', 200),
  fieldStrengthTesla: tesla,
  confirmedSteps: z.array(z.string().max(40), { error: 'Confirm every step of the checklist' }).max(20),
  note: optionalText('Note', 2000),
});
export type MriPlanInput = z.infer<typeof mriPlanSchema>;

export interface MriPlanContext {
  readonly rules: MriPlanRules;
  readonly implantedOn: PlainDate;
  readonly today: PlainDate;
}

/**
 * A plan: the date (from the implant date, a past date allowed so an urgent scan can be planned
 * after the event, up to a year ahead), the field strength against the labelling, and every
 * step of the model's checklist confirmed (hazards H-130, H-131).
 */
export function validateMriPlan(raw: unknown, ctx: MriPlanContext): Validated<MriPlanInput> {
  const result = parseInput(mriPlanSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  const errors: FieldError[] = [];
  const latest = addDays(ctx.today, MRI_PLAN_MAX_DAYS_AHEAD);
  if (v.plannedOn < ctx.implantedOn) {
    errors.push({
      field: 'plannedOn',
      message: `Planned scan date must be on or after the implant date, ${formatPlainDate(ctx.implantedOn)}`,
    });
  } else if (v.plannedOn > latest) {
    errors.push({ field: 'plannedOn', message: `Planned scan date must be by ${formatPlainDate(latest)}` });
  }
  const t = v.fieldStrengthTesla;
  const { onlyTesla, maxTesla } = ctx.rules;
  if (t !== null && onlyTesla !== null && t !== onlyTesla) {
    errors.push({
      field: 'fieldStrengthTesla',
      message: `Field strength must be ${String(onlyTesla)} tesla: the pump’s MRI instructions allow scans at ${String(onlyTesla)} T only`,
    });
  } else if (t !== null && maxTesla !== null && t > maxTesla) {
    errors.push({
      field: 'fieldStrengthTesla',
      message: `Field strength must be ${String(maxTesla)} tesla or less: the pump’s labelling allows no more`,
    });
  }
  const missing = ctx.rules.before.filter((s) => !v.confirmedSteps.includes(s.id));
  if (missing.length > 0) {
    errors.push({
      field: 'confirmedSteps',
      message: `Confirm every step before the scan: ${missing.map((s) => s.text.split(':')[0] ?? s.id).join('; ')}`,
    });
  }
  const unknown = v.confirmedSteps.filter((id) => !ctx.rules.before.some((s) => s.id === id));
  if (unknown.length > 0) {
    errors.push({ field: 'confirmedSteps', message: 'Confirm only the steps of this pump’s checklist' });
  }
  return errors.length > 0 ? { ok: false, errors } : result;
}

// ---------------------------------------------------------------- the scan

export const mriScanSchema = z.object({
  scannedAt: instantField('Scan time'),
  note: optionalText('Note', 2000),
});
export type MriScanInput = z.infer<typeof mriScanSchema>;

/**
 * The scan: when it was done, not in the future, and not before the planned date (a scan moved
 * earlier is planned again, so the checklist is confirmed for the day it happens).
 */
export function validateMriScan(
  raw: unknown,
  ctx: { readonly plannedOn: PlainDate; readonly now: string; readonly timeZone: string },
): Validated<MriScanInput> {
  const result = parseInput(mriScanSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  if (Date.parse(v.scannedAt) > Date.parse(ctx.now)) {
    return { ok: false, errors: [{ field: 'scannedAt', message: 'Scan time must be now or in the past' }] };
  }
  if (localDateAndTime(v.scannedAt, ctx.timeZone).date < ctx.plannedOn) {
    return {
      ok: false,
      errors: [
        {
          field: 'scannedAt',
          message: `Scan time must be on or after the planned scan date, ${formatPlainDate(ctx.plannedOn)}: cancel this plan and plan the scan for the day it happened`,
        },
      ],
    };
  }
  return result;
}

// ---------------------------------------------------------------- the post-scan check

export const ROTOR_RESULTS = ['passed', 'stalled'] as const;
export type RotorResult = (typeof ROTOR_RESULTS)[number];
export const ROTOR_RESULT_LABELS: Readonly<Record<RotorResult, string>> = {
  passed: 'Rotor turning: no stall',
  stalled: 'Stall found',
};

const yesNo = (message: string) =>
  z.preprocess((v) => (v === 'yes' ? true : v === 'no' ? false : v), z.boolean({ error: message }));

export const mriCheckSchema = z.object({
  checkedAt: instantField('Check time'),
  pumpRunning: yesNo('Say whether the pump is running: yes or no'),
  rotorCheck: z.enum(ROTOR_RESULTS, { error: 'Choose the rotor check result' }).nullish(),
  logsReviewed: yesNo('Say whether the pump’s logs were read: yes or no').nullish(),
  reservoirMl: z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: 'Reservoir volume must be a number of mL, digits only (no units)' })
      .min(0, { error: 'Reservoir volume must be 0 mL or more' }),
  ),
  findings: optionalText('Findings', 2000),
});
export type MriCheckInput = z.infer<typeof mriCheckSchema>;

export interface MriCheckContext {
  readonly rules: MriPlanRules;
  readonly scannedAt: string;
  readonly now: string;
  readonly reservoirMl: number;
  readonly timeZone: string;
}

/**
 * The check: after the scan (never before it) and not in the future; the reservoir within the
 * pump's size; for SynchroMed the rotor check and logs (H-132); what was done written down when
 * the pump is not running or stalled (H-133).
 */
export function validateMriCheck(raw: unknown, ctx: MriCheckContext): Validated<MriCheckInput> {
  const result = parseInput(mriCheckSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  const errors: FieldError[] = [];
  if (Date.parse(v.checkedAt) > Date.parse(ctx.now)) {
    errors.push({ field: 'checkedAt', message: 'Check time must be now or in the past' });
  } else if (Date.parse(v.checkedAt) < Date.parse(ctx.scannedAt)) {
    errors.push({
      field: 'checkedAt',
      message: `Check time must be after the scan, ${formatDateTime(ctx.scannedAt, ctx.timeZone)}`,
    });
  }
  if (v.reservoirMl > ctx.reservoirMl) {
    errors.push({
      field: 'reservoirMl',
      message: `Reservoir volume must be ${String(ctx.reservoirMl)} mL or less, the pump’s reservoir size`,
    });
  }
  if (ctx.rules.rotorCheck) {
    if (v.rotorCheck === null || v.rotorCheck === undefined) {
      errors.push({ field: 'rotorCheck', message: 'Choose the rotor check result' });
    }
    if (v.logsReviewed !== true) {
      errors.push({
        field: 'logsReviewed',
        message: 'Read the pump’s logs for a stall or alarm during the scan',
      });
    }
  }
  const abnormal = !v.pumpRunning || v.rotorCheck === 'stalled';
  if (abnormal && v.findings === null) {
    errors.push({
      field: 'findings',
      message: 'Say what was found and done: the pump is not running or stalled',
    });
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      ...v,
      rotorCheck: ctx.rules.rotorCheck ? (v.rotorCheck ?? null) : null,
      logsReviewed: ctx.rules.rotorCheck ? (v.logsReviewed ?? null) : null,
    },
  };
}

export const mriCancelSchema = z.object({
  reason: z
    .string({ error: 'Enter the reason' })
    .trim()
    .min(1, { error: 'Enter the reason' })
    .max(2000, { error: 'Reason must be 2000 characters or fewer' }),
});
export function validateMriCancel(raw: unknown): Validated<{ reason: string }> {
  return parseInput(mriCancelSchema, raw);
}
