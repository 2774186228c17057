// ed25519 signing keys for TUF roles, made and used through node:crypto. A key's id is the sha256 of
// the canonical JSON of its public part, as the TUF specification defines it; private keys are PKCS#8
// PEM files named after that id, so any holder of a key directory can sign for the roles it holds.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Signature } from '@tufjs/models';

export type PublicKeyJson = { keytype: 'ed25519'; scheme: 'ed25519'; keyval: { public: string } };
export type SigningKey = { keyId: string; publicJson: PublicKeyJson; privateKey: KeyObject };

/** Canonical JSON (sorted keys, no whitespace) of plain data: what TUF hashes for key ids. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function publicKeyJson(key: KeyObject): PublicKeyJson {
  const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
  // The last 32 bytes of an ed25519 SPKI structure are the raw public key, which TUF writes in hex.
  return { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: der.subarray(der.length - 32).toString('hex') } };
}

export function keyIdOf(publicJson: PublicKeyJson): string {
  return createHash('sha256').update(canonicalJson(publicJson)).digest('hex');
}

export function generateSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicJson = publicKeyJson(privateKey);
  return { keyId: keyIdOf(publicJson), publicJson, privateKey };
}

/** Stores a private key as `<dir>/<keyid>.pem` (mode 0600) and returns its path. */
export function saveSigningKey(dir: string, key: SigningKey): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${key.keyId}.pem`);
  writeFileSync(path, key.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  return path;
}

export function loadSigningKeyFile(path: string): SigningKey {
  const privateKey = createPrivateKey(readFileSync(path));
  const publicJson = publicKeyJson(privateKey);
  return { keyId: keyIdOf(publicJson), publicJson, privateKey };
}

/** Every key found in the given directories, by key id. Missing directories hold no keys. */
export function loadKeyring(dirs: readonly string[]): Map<string, SigningKey> {
  const ring = new Map<string, SigningKey>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.pem')).sort()) {
      const key = loadSigningKeyFile(join(dir, name));
      ring.set(key.keyId, key);
    }
  }
  return ring;
}

/** A signer for @tufjs/models' `Metadata.sign`: signs the canonical bytes it is given. */
export function signerFor(key: SigningKey): (data: Buffer) => Signature {
  return (data) => new Signature({ keyID: key.keyId, sig: sign(null, data, key.privateKey).toString('hex') });
}
