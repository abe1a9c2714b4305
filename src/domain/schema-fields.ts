import { z } from 'zod';
import { zodIssuesToFieldErrors, type Validated } from './field-error.ts';
import { parsePlainDate, type PlainDate } from './calendar-date.ts';

/**
 * Field schemas shared by every form and API body, so that the same kind of field gets the
 * same rule and the same message wherever it is entered.
 */
export const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, { error: `${label} must be ${max} characters or fewer` })
    .nullish()
    .transform((v) => (v === '' || v === undefined || v === null ? null : v));

export const requiredText = (label: string, max: number) =>
  z
    .string({ error: `Enter the ${label.toLowerCase()}` })
    .trim()
    .min(1, { error: `Enter the ${label.toLowerCase()}` })
    .max(max, { error: `${label} must be ${max} characters or fewer` });

export const PHONE = /^\+?[\d ()-]{7,30}$/;

/** A simple shape check: the address is confirmed when mail to it is delivered, not here. */
export const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** A calendar date as YYYY-MM-DD, kept as text (see calendar-date.ts). */
export const plainDateField = (label: string) =>
  z
    .string({ error: `Enter the ${label.toLowerCase()}` })
    .trim()
    .min(1, { error: `Enter the ${label.toLowerCase()}` })
    .refine((v) => parsePlainDate(v) !== null, {
      error: `${label} must be a real date in the format YYYY-MM-DD`,
    })
    .transform((v) => v as PlainDate);

/** ODS organisation codes: GP practices are 6 characters (B86016), trusts 3 (RR8), sites 5. */
export const ODS_CODE = /^[A-Z0-9]{3,10}$/;

/**
 * A number of units, from a JSON number (API) or text (forms): refuses units typed into the box
 * ("2 mg") and empty boxes rather than reading them as 0.
 */
export const decimal = (label: string, unit: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `${label} must be a number of ${unit}, digits only (no units)` })
      .min(0, { error: `${label} must be 0 or more` }),
  );

/** Parses with a schema and turns its issues into field errors named by path. */
export function parseInput<T>(schema: z.ZodType<T>, raw: unknown): Validated<T> {
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
}
