import { warningsForOutput, type ClinicalWarning } from '../domain/clinical-warning.ts';
import { optionNamed } from './calc-options.ts';

/**
 * Clinical warnings as the pump `itb calc` commands report them: in `--json` as `warnings`
 * (always present, [] when none) with each field named as the option a person typed, and in
 * text as one `Warning: …` line each. A warning is a value inside the hard limits but outside the
 * usual range: the result is still computed, and a prescription needs a written reason for it.
 * A field no option sets is left out rather than shown as a domain name the person never typed.
 */
export function cliWarnings(
  warnings: readonly ClinicalWarning[],
  option: (field: string) => string | undefined = optionNamed,
): ClinicalWarning[] {
  // warningsForOutput leaves out a field that is undefined.
  return warningsForOutput(
    warnings.map((w) => ({ ...w, field: w.field === undefined ? undefined : option(w.field) })),
  );
}

export function warningLines(warnings: readonly ClinicalWarning[]): string {
  return warnings.map((w) => `Warning: ${w.message}\n`).join('');
}
