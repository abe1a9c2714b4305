import type { DoseProgramme } from '../../../domain/dose-programme.ts';

/**
 * The programme's fields on the page forms (prefix '' on the prescription form, 'np-' on the
 * refill form). The forms have flat names (`doseMcgPerDay`, `step-2-rate`, `np-bolusDoseMcg`);
 * the services take the API's nested shape. Errors on the nested fields are renamed back to the
 * form's names, so the error summary links to the box and the message shows beside it.
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

/** The box's text trimmed, null when empty. */
export const textOrNull = (v: string | undefined): string | null =>
  (v ?? '').trim() === '' ? null : (v ?? '').trim();

export interface ParsedProgramme {
  readonly raw: Record<string, unknown>;
  /** The form row each step in `raw` came from (empty rows are left out). */
  readonly stepRows: readonly number[];
}

/** The programme fields of a form (prefix '' on the prescription form, 'np-' on the refill form). */
export function programmeFromForm(f: Record<string, string>, p: string): ParsedProgramme {
  const mode = textOrNull(f[`${p}mode`]);
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
  const bolus = bolusParts.every((v) => textOrNull(v) === null)
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

/** Where the summary links for fields whose first element has another id. */
export const PROGRAMME_HREFS = (p: string): Record<string, string> => ({
  [`${p}steps`]: `${p}steps`,
});

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
