import { z } from 'zod';
import { zodIssuesToFieldErrors, type Validated } from './field-error.ts';

/** Schema pieces the test-dose inputs share (test-dose.ts and its parts). */

export const MAX_TEXT = 2000;

export const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

export const yesNo = (message: string) => nullable(z.boolean({ error: message }));

export const wholeNumberIn = (label: string, min: number, max: number, unit: string) => {
  const message = `${label} must be a whole number from ${min} to ${max} ${unit}`;
  return z
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });
};

export function validated<T>(schema: z.ZodType<T>, raw: unknown): Validated<T> {
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
}
