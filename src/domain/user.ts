import { z } from 'zod';
import { ROLES } from './roles.ts';
import { passwordProblem } from './password-policy.ts';
import { zodIssuesToFieldErrors, type Validated } from './field-error.ts';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,39}$/;

export const usernameSchema = z
  .string({ error: 'Enter a username' })
  .trim()
  .toLowerCase()
  .min(1, { error: 'Enter a username' })
  .regex(USERNAME_PATTERN, {
    error:
      'Username must be 3 to 40 characters: letters, numbers, dots, dashes or underscores, starting with a letter or number',
  });

export const displayNameSchema = z
  .string({ error: 'Enter the full name' })
  .trim()
  .min(1, { error: 'Enter the full name' })
  .max(120, { error: 'Full name must be 120 characters or fewer' });

export const roleSchema = z.enum(ROLES, { error: `Select a role: ${ROLES.join(', ')}` });

export const newUserSchema = z.object({
  username: usernameSchema,
  displayName: displayNameSchema,
  role: roleSchema,
  password: z.string({ error: 'Enter a password' }),
});
export type NewUserInput = z.output<typeof newUserSchema>;

export function validateNewUser(raw: unknown): Validated<NewUserInput> {
  const parsed = newUserSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
  }
  const problem = passwordProblem(parsed.data.password, parsed.data.username);
  return problem
    ? { ok: false, errors: [{ field: 'password', message: problem }] }
    : { ok: true, value: parsed.data };
}

export const userEditSchema = z.object({ displayName: displayNameSchema, role: roleSchema });
export type UserEditInput = z.output<typeof userEditSchema>;
