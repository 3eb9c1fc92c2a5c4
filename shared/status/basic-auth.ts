import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { UserInputError } from '../errors.ts';

/**
 * An optional lock on the status API: HTTP Basic, checked against a salted scrypt hash. The hash
 * (made by `news-monitor status-password`) is what the deployment holds, as the CDK context value
 * `statusAuth`; the password itself is never stored anywhere.
 *
 * Format: <user>:scrypt:<N>:<r>:<p>:<salt, base64url>:<hash, base64url>
 */
export const STATUS_CREDENTIAL_PATTERN =
  /^([A-Za-z0-9._-]{1,64}):scrypt:(\d{1,7}):(\d{1,3}):(\d{1,3}):([A-Za-z0-9_-]{16,128}):([A-Za-z0-9_-]{32,128})$/;

const COST = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Basic credentials longer than this are refused before any hashing. */
const MAX_HEADER = 4_096;

export interface StatusCredential {
  user: string;
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

export class StatusCredentialError extends UserInputError {
  override name = 'StatusCredentialError';
}

export function parseStatusCredential(value: string): StatusCredential {
  const parts = STATUS_CREDENTIAL_PATTERN.exec(value.trim());
  const [, user, N, r, p, salt, hash] = parts ?? [];
  const cost = { N: Number(N), r: Number(r), p: Number(p) };
  const powerOfTwo = cost.N > 1 && (cost.N & (cost.N - 1)) === 0;
  if (!user || !salt || !hash || !powerOfTwo || cost.r < 1 || cost.p < 1) {
    throw new StatusCredentialError(
      'status credential is not one "news-monitor status-password" printed; run it again and paste its output whole',
    );
  }
  return { user, ...cost, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

/** The credential value for a user and password, with a fresh random salt. */
export async function makeStatusCredential(user: string, password: string): Promise<string> {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(user)) {
    throw new StatusCredentialError('user names are 1 to 64 letters, digits, dots, hyphens or underscores');
  }
  if (password.length === 0) throw new StatusCredentialError('the password is empty; type one');
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, COST, KEY_BYTES);
  return `${user}:scrypt:${COST.N}:${COST.r}:${COST.p}:${salt.toString('base64url')}:${hash.toString('base64url')}`;
}

/** Checks Authorization headers against one credential, in time that does not depend on the guess. */
export class BasicAuthGate {
  /** Digest of the last header that passed, so a browser's repeated requests cost one scrypt. */
  private lastAccepted: Buffer | undefined;

  constructor(private readonly credential: StatusCredential) {}

  async allows(authorization: string | undefined): Promise<boolean> {
    const presented = parseBasic(authorization);
    if (!presented) return false;
    const digest = sha256(authorization ?? '');
    if (this.lastAccepted && timingSafeEqual(digest, this.lastAccepted)) return true;
    const { N, r, p, salt, hash } = this.credential;
    const derived = await derive(presented.password, salt, { N, r, p }, hash.length);
    // Both comparisons always run, so a wrong user takes as long as a wrong password.
    const userMatches = timingSafeEqual(sha256(presented.user), sha256(this.credential.user));
    const passwordMatches = timingSafeEqual(derived, hash);
    if (!(userMatches && passwordMatches)) return false;
    this.lastAccepted = digest;
    return true;
  }
}

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined || header.length > MAX_HEADER) return undefined;
  const encoded = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header)?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function derive(
  password: string,
  salt: Buffer,
  cost: { N: number; r: number; p: number },
  bytes: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      bytes,
      { ...cost, maxmem: 256 * cost.N * cost.r + 1_048_576 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
