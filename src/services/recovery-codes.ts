import { randomInt, randomUUID } from 'node:crypto';
import type { Db, DbOrTrx } from '../storage/database.ts';
import {
  countUnusedRecoveryCodes,
  putRecoveryCodeDisplay,
  replaceRecoveryCodes,
  spendRecoveryCode,
  takeRecoveryCodeDisplay,
  unusedRecoveryCodes,
} from '../storage/recovery-codes.repository.ts';
import type { Clock } from './clock.ts';
import { deriveKey, randomToken, seal, sha256Hex, unseal } from './secrets.ts';
import { cookieSecret } from './system-service.ts';

/** How many recovery codes a set holds: enough for a lost phone or two, few enough to keep. */
export const RECOVERY_CODE_COUNT = 10;

/** Letters and digits that cannot be mistaken for one another when read aloud or written down. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A new code: 10 characters (50 bits) shown as two groups of five, "K7QF9-WZD3M". */
export function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) {
    code += ALPHABET.charAt(randomInt(ALPHABET.length));
  }
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** A code as typed: any case, with or without the dash or spaces. */
export function normaliseRecoveryCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

export function looksLikeRecoveryCode(input: string): boolean {
  return /^[2-9A-HJ-NP-Z]{10}$/.test(normaliseRecoveryCode(input));
}

/**
 * Codes shorter than 112 bits are stored salted and hashed (OWASP ASVS 4.0.3 V2.6.2: "salted
 * with a unique and random 32-bit salt and hashed with an approved one-way hash"); guesses are
 * throttled like security codes.
 */
function hashRecoveryCode(code: string, salt: string): string {
  return `${salt}:${sha256Hex(`${salt}:${normaliseRecoveryCode(code)}`)}`;
}

/** A fresh set for the account, replacing any earlier set; the codes are returned once. */
export async function issueRecoveryCodes(db: DbOrTrx, clock: Clock, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const at = clock.now().toISOString();
  await replaceRecoveryCodes(
    db,
    userId,
    codes.map((code) => ({
      id: randomUUID(),
      userId,
      codeHash: hashRecoveryCode(code, randomToken(8)),
      createdAt: at,
      usedAt: null,
    })),
  );
  return codes;
}

/** Spends the account's unused code matching the input; false when none does (or it was just used). */
export async function spendRecoveryCodeOf(
  db: DbOrTrx,
  clock: Clock,
  userId: string,
  input: string,
): Promise<boolean> {
  if (!looksLikeRecoveryCode(input)) {
    return false;
  }
  for (const stored of await unusedRecoveryCodes(db, userId)) {
    const salt = stored.codeHash.split(':')[0] ?? '';
    if (hashRecoveryCode(input, salt) === stored.codeHash) {
      return spendRecoveryCode(db, userId, stored.codeHash, clock.now().toISOString());
    }
  }
  return false;
}

/** How many unused recovery codes the account has. */
export async function recoveryCodesLeft(deps: { readonly db: Db }, userId: string): Promise<number> {
  return countUnusedRecoveryCodes(deps.db, userId);
}

/** Keys for showing new codes once are kept apart from every other use of the secret. */
const DISPLAY_PURPOSE = 'itb recovery codes display v1';

/**
 * Holds a new set of codes for the account page to show once, after the redirect that follows
 * the form (so a reload never posts again). Sealed under a key derived from the session's
 * cookie, which the database never holds, and deleted with the session.
 */
export async function holdCodesForDisplay(
  db: DbOrTrx,
  clock: Clock,
  sessionToken: string,
  codes: readonly string[],
): Promise<void> {
  const key = deriveKey(await cookieSecret({ db }), sessionToken, DISPLAY_PURPOSE);
  const idHash = sha256Hex(sessionToken);
  const box = seal(key, JSON.stringify(codes), idHash);
  await putRecoveryCodeDisplay(db, {
    sessionIdHash: idHash,
    iv: box.iv,
    sealed: box.sealed,
    createdAt: clock.now().toISOString(),
  });
}

/** The codes waiting to be shown to this session, once; an empty list when none are. */
export async function takeCodesToShow(
  deps: { readonly db: Db },
  sessionToken: string | undefined,
): Promise<readonly string[]> {
  if (sessionToken === undefined) {
    return [];
  }
  const idHash = sha256Hex(sessionToken);
  const held = await takeRecoveryCodeDisplay(deps.db, idHash);
  if (!held) {
    return [];
  }
  const text = unseal(deriveKey(await cookieSecret(deps), sessionToken, DISPLAY_PURPOSE), held, idHash);
  const codes: unknown = text === null ? [] : JSON.parse(text);
  return Array.isArray(codes) ? codes.filter((c): c is string => typeof c === 'string') : [];
}
