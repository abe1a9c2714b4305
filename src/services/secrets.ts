import {
  argon2,
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Password hashing with Argon2id, built into Node 24 (node:crypto). Parameters follow OWASP's
 * Password Storage Cheat Sheet minimum for Argon2id: m = 19 MiB, t = 2, p = 1.
 */
export const ARGON2_PARAMS = { memoryKiB: 19 * 1024, passes: 2, parallelism: 1, tagLength: 32 } as const;

function b64(buf: Buffer): string {
  return buf.toString('base64').replace(/=+$/, '');
}

function derive(
  password: string,
  salt: Buffer,
  m: number,
  t: number,
  p: number,
  len: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2(
      'argon2id',
      { message: password, nonce: salt, memory: m, passes: t, parallelism: p, tagLength: len },
      (err, key) => {
        if (err) {
          reject(err);
        } else {
          resolve(key);
        }
      },
    );
  });
}

/** Returns a PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { memoryKiB: m, passes: t, parallelism: p, tagLength } = ARGON2_PARAMS;
  const key = await derive(password, salt, m, t, p, tagLength);
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${b64(salt)}$${b64(key)}`;
}

export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!m) {
    return false;
  }
  const expected = Buffer.from(m[5] ?? '', 'base64');
  const key = await derive(
    password,
    Buffer.from(m[4] ?? '', 'base64'),
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    expected.length,
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A password hash that no password matches, verified against when the username is unknown
 * so that timing does not reveal which usernames exist. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('hex'));
  return dummyHash;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Session ids, API tokens and setup links are stored only as SHA-256 hashes. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A 256-bit key for one purpose, derived with HKDF-SHA256 (RFC 5869) from the service's stored
 * secret and a per-use salt; `purpose` keeps keys for different uses apart.
 */
export function deriveKey(secret: string, salt: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, salt, purpose, 32));
}

/** Text sealed with AES-256-GCM: a fresh 96-bit nonce each time (NIST SP 800-38D). */
export interface Sealed {
  readonly iv: string;
  /** base64 of the ciphertext followed by the 16-byte authentication tag. */
  readonly sealed: string;
}

/** Seals text; `context` is authenticated but not stored, so a row moved elsewhere will not open. */
export function seal(key: Buffer, text: string, context: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { iv: iv.toString('base64'), sealed: body.toString('base64') };
}

/** Opens what `seal` made with the same key and context; null when either differs or it was altered. */
export function unseal(key: Buffer, box: Sealed, context: string): string | null {
  try {
    const body = Buffer.from(box.sealed, 'base64');
    if (body.length < 16) {
      return null;
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return null;
  }
}
