import { parsePlainDate, type PlainDate } from '../domain/calendar-date.ts';
import type { FieldError } from '../domain/field-error.ts';
import { CliError } from './commands.ts';

/**
 * What every `itb calc` pump command shares: reading options as plain numbers and dates, naming
 * the option at fault in every message, and printing text or JSON.
 */

/** Exit code for input the person must correct, as `calc target` and `calc gas` use. */
export const BAD_INPUT = 2;

/** Domain field names as the options a person typed, so every message names one. */
export const OPTION_FOR: Readonly<Record<string, string>> = {
  reservoirMl: '--reservoir-ml',
  fillMl: '--fill-ml',
  concentrationMcgPerMl: '--concentration',
  doseMcgPerDay: '--dose',
  alarmMl: '--alarm-ml',
  filledOn: '--filled-on',
  bufferDays: '--buffer-days',
  maxIntervalDays: '--max-interval-days',
  testDoseMcg: '--test-dose',
  effectHours: '--effect-hours',
  currentMcgPerDay: '--current',
  proposedMcgPerDay: '--proposed',
  'bolus.doseMcg': '--bolus-mcg',
  'bolus.maxPerDay': '--boluses-per-day',
  'bolus.lockoutMinutes': '--lockout-minutes',
};

/** The option a person typed for a domain field, or undefined when no option sets it. */
export function optionNamed(field: string): string | undefined {
  // programmeErrors names schedules.0.steps, schedules …: the CLI builds them all from --step.
  return field.startsWith('schedules') ? '--step' : OPTION_FOR[field];
}

export function optionFor(field: string): string {
  return optionNamed(field) ?? field;
}

export function refuse(lines: readonly string[]): never {
  throw new CliError(lines.join('\n'), BAD_INPUT);
}

export function refuseFieldErrors(errors: readonly FieldError[]): void {
  if (errors.length > 0) {
    refuse(errors.map((e) => `${optionFor(e.field)}: ${e.message}`));
  }
}

/**
 * Reads the options in one pass so a person sees every badly typed value at once. Numbers are
 * plain decimals only ("20", "0.25"): Number() would take "", "1e3" or "0x10", and a unit typed
 * after the number ("2mg") must be refused, not guessed at (hazard H-019, unit confusion).
 */
export class OptionReader {
  readonly problems: string[] = [];

  decimal(option: string, raw: string, what: string): number {
    if (!/^\d+(\.\d+)?$/.test(raw.trim())) {
      this.problems.push(
        `${option}: give ${what} as a plain number such as 20 or 0.25, with no unit, not "${raw}"`,
      );
      return Number.NaN;
    }
    return Number(raw.trim());
  }

  /** A whole number from `min` to `max`, typed with digits only ("3", not "3.0" or "three"). */
  wholeNumber(option: string, raw: string, what: string, min: number, max: number): number {
    const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (!(value >= min && value <= max)) {
      this.problems.push(`${option}: give ${what} as a whole number from ${min} to ${max}, not "${raw}"`);
      return Number.NaN;
    }
    return value;
  }

  date(option: string, raw: string): PlainDate {
    const date = parsePlainDate(raw);
    if (!date) {
      this.problems.push(`${option}: must be a real date as YYYY-MM-DD, not "${raw}"`);
      return '' as PlainDate;
    }
    return date;
  }

  oneOf<T extends string>(option: string, raw: string, allowed: readonly T[]): T {
    const found = allowed.find((a) => a === raw.trim());
    if (found === undefined) {
      this.problems.push(`${option}: must be ${allowed.join(' or ')}, not "${raw}"`);
      return allowed[0] as T;
    }
    return found;
  }

  /** Stops here when anything could not be read, before the range checks run on NaN. */
  check(): void {
    if (this.problems.length > 0) {
      refuse(this.problems);
    }
  }
}

export function roundTo(x: number, places: number): number {
  const f = 10 ** places;
  return Math.round((x + Number.EPSILON * Math.sign(x)) * f) / f;
}

export function print(json: boolean | undefined, data: object, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(data)}\n` : text);
}
