// ring3's bearer secrets: enrollment tokens, host credentials and admin tokens, all shaped
// `<kind>.<id>.<secret>`. Only a SHA-256 of the secret is stored. A slow password hash would add
// nothing: the secret is 32 random bytes, so its hash cannot be brute-forced, and the lookup by id
// keeps verification to one indexed read and one constant-time comparison.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const secretKinds = { enrollment: 'r3e', host: 'r3h', admin: 'r3a' } as const;
export type SecretKind = keyof typeof secretKinds;

export type IssuedSecret = { id: string; text: string; hash: string };
export type ParsedSecret = { id: string; secret: string };

export function issueSecret(kind: SecretKind, id: string = kind === 'host' ? randomUUID() : randomBytes(8).toString('hex')): IssuedSecret {
  const secret = randomBytes(32).toString('base64url');
  return { id, text: `${secretKinds[kind]}.${id}.${secret}`, hash: hashSecret(secret) };
}

/** Splits a presented secret, or undefined when it is not of this kind (never says more: it is an auth failure). */
export function parseSecret(kind: SecretKind, text: string): ParsedSecret | undefined {
  const parts = text.split('.');
  if (parts.length !== 3 || parts[0] !== secretKinds[kind]) return undefined;
  const [, id, secret] = parts as [string, string, string];
  if (id === '' || id.length > 64 || secret.length < 16 || secret.length > 128) return undefined;
  return { id, secret };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** The bearer token of an `Authorization: Bearer …` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
