import { passwordProblem } from '../domain/password-policy.ts';

/**
 * The maintained common-password list of zxcvbn-ts (@zxcvbn-ts/language-common: about 49,000
 * passwords from breach corpora, all lower case). Loaded on first use and kept, so start-up and
 * every page that sets no password pay nothing; the first check pays about 35 ms once.
 */
let commonPasswords: Promise<ReadonlySet<string>> | undefined;

function loadCommonPasswords(): Promise<ReadonlySet<string>> {
  commonPasswords ??= import('@zxcvbn-ts/language-common').then(
    (m) => new Set(m.dictionary['passwords-common']),
  );
  return commonPasswords;
}

/** Whether the whole password, ignoring case, is on the list. */
export async function isCommonPassword(password: string): Promise<boolean> {
  return (await loadCommonPasswords()).has(password.toLowerCase());
}

export const COMMON_PASSWORD_MESSAGE =
  'Password is on a list of commonly used passwords that attackers try first: choose a different one';

/**
 * The rules for a password being set: length, not the username (password-policy.ts), and not a
 * commonly used password (OWASP ASVS 4.0.3 V2.1.7, v5.0.0-6.2.4: refuse passwords in a list of
 * breached or common ones). Returns the message for the field, or null when it may be used.
 */
export async function newPasswordProblem(password: string, username: string): Promise<string | null> {
  const problem = passwordProblem(password, username);
  if (problem) {
    return problem;
  }
  return (await isCommonPassword(password)) ? COMMON_PASSWORD_MESSAGE : null;
}
