// Reading, signing and writing the metadata of a TUF repository kept as static files:
//   <repo>/keys/<keyid>.pem            private keys (move root keys offline in production)
//   <repo>/public/metadata/N.root.json, timestamp.json, N.snapshot.json, N.targets.json, N.<role>.json
//   <repo>/public/targets/<pack>/<sha256>.<file>   (consistent snapshots: files are never overwritten)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata, MetaFile, Root, Snapshot, Targets, Timestamp } from '@tufjs/models';
import type { MetadataKind } from '@tufjs/models';
import { ContentCodes, contentDiagnostic, fail, ok } from '../diagnostics.ts';
import type { Result } from '../diagnostics.ts';
import { writeFileAtomic } from '../pack-dir.ts';
import { loadKeyring, signerFor } from './keys.ts';
import type { SigningKey } from './keys.ts';

export const specVersion = '1.0.31';
export const topRoles = ['root', 'targets', 'snapshot', 'timestamp'] as const;
export type TopRole = (typeof topRoles)[number];

export type RepoPaths = { dir: string; keys: string; metadata: string; targets: string };

export function repoPaths(dir: string): RepoPaths {
  return { dir, keys: join(dir, 'keys'), metadata: join(dir, 'public', 'metadata'), targets: join(dir, 'public', 'targets') };
}

export type Expiries = { rootDays: number; targetsDays: number; snapshotDays: number; timestampDays: number };
export const defaultExpiries: Expiries = { rootDays: 365, targetsDays: 90, snapshotDays: 7, timestampDays: 1 };

/** TUF's date format: UTC, whole seconds. */
export function expiresAfter(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export type RepoState = {
  root: Metadata<Root>;
  timestamp: Metadata<Timestamp>;
  snapshot: Metadata<Snapshot>;
  /** `targets` and every delegated role published so far, by role name. */
  targets: Map<string, Metadata<Targets>>;
};

const kinds = { root: 'root', timestamp: 'timestamp', snapshot: 'snapshot', targets: 'targets' } as const;

function readMetadata<K extends keyof typeof kinds>(path: string, kind: K) {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  return Metadata.fromJSON(kinds[kind] as MetadataKind.Root, json) as unknown as Metadata<{ root: Root; timestamp: Timestamp; snapshot: Snapshot; targets: Targets }[K]>;
}

export function latestRootVersion(paths: RepoPaths): number {
  if (!existsSync(paths.metadata)) return 0;
  return Math.max(0, ...readdirSync(paths.metadata).map((n) => /^(\d+)\.root\.json$/.exec(n)).filter((m) => m !== null).map((m) => Number(m[1])));
}

/** Loads the repository's current metadata: newest root, timestamp, and what they point to. */
export function readRepoState(paths: RepoPaths): Result<RepoState> {
  try {
    const rootVersion = latestRootVersion(paths);
    if (rootVersion === 0) return fail(contentDiagnostic(ContentCodes.repoInvalid, 'Cannot open repository: it has no N.root.json; run "ring3 content repo init" first', { file: paths.metadata }));
    const root = readMetadata(join(paths.metadata, `${rootVersion}.root.json`), 'root');
    const timestamp = readMetadata(join(paths.metadata, 'timestamp.json'), 'timestamp');
    const snapshot = readMetadata(join(paths.metadata, `${timestamp.signed.snapshotMeta.version}.snapshot.json`), 'snapshot');
    const targets = new Map<string, Metadata<Targets>>();
    for (const [file, meta] of Object.entries(snapshot.signed.meta)) {
      const role = file.replace(/\.json$/, '');
      targets.set(role, readMetadata(join(paths.metadata, `${meta.version}.${encodeURIComponent(role)}.json`), 'targets'));
    }
    return ok({ root, timestamp, snapshot, targets });
  } catch (error) {
    return fail(contentDiagnostic(ContentCodes.repoInvalid, `Cannot open repository: ${(error as Error).message}`, { file: paths.metadata }));
  }
}

/** The keys and threshold a role is signed with: top-level roles from root, others from `targets`' delegations. */
export function roleKeys(state: Pick<RepoState, 'root' | 'targets'>, role: string): { keyIds: string[]; threshold: number } | undefined {
  const top = state.root.signed.roles[role];
  if (top) return { keyIds: top.keyIDs, threshold: top.threshold };
  const delegated = state.targets.get('targets')?.signed.delegations?.roles?.[role];
  return delegated ? { keyIds: delegated.keyIDs, threshold: delegated.threshold } : undefined;
}

/** Signs with every key of the role found in the keyring, failing unless the threshold is met. */
export function signRole<T extends Root | Targets | Snapshot | Timestamp>(metadata: Metadata<T>, role: string, spec: { keyIds: string[]; threshold: number }, keyring: Map<string, SigningKey>): Result<Metadata<T>> {
  const available = spec.keyIds.map((id) => keyring.get(id)).filter((k): k is SigningKey => k !== undefined);
  if (available.length < spec.threshold) {
    return fail(contentDiagnostic(ContentCodes.keyMissing, `Cannot sign ${role}: ${available.length} of its keys are in the key directories, its threshold needs ${spec.threshold} (key ids: ${spec.keyIds.map((k) => k.slice(0, 12)).join(', ')})`));
  }
  for (const key of available) metadata.sign(signerFor(key), true);
  return ok(metadata);
}

export function writeMetadata(paths: RepoPaths, fileName: string, metadata: Metadata<Root | Targets | Snapshot | Timestamp>): void {
  mkdirSync(paths.metadata, { recursive: true });
  writeFileAtomic(join(paths.metadata, fileName), `${JSON.stringify(metadata.toJSON(), null, 2)}\n`);
}

export function keyringFor(paths: RepoPaths, extraKeyDirs: readonly string[] = []): Map<string, SigningKey> {
  return loadKeyring([paths.keys, ...extraKeyDirs]);
}

/** Bytes, as written, of a metadata file: snapshot and timestamp hash exactly these. */
export function metadataBytes(paths: RepoPaths, fileName: string): Buffer {
  return readFileSync(join(paths.metadata, fileName));
}

/** Writes new snapshot (listing every targets role) and timestamp versions, signed by their keys. */
/** What re-signing needs: the keys (root, targets) and the versions to count up from. */
export type SigningState = Pick<RepoState, 'root' | 'targets'> & { snapshotVersion: number; timestampVersion: number };

export function versionsOf(state: RepoState): SigningState {
  return { root: state.root, targets: state.targets, snapshotVersion: state.snapshot.signed.version, timestampVersion: state.timestamp.signed.version };
}

export function resignSnapshotAndTimestamp(paths: RepoPaths, state: SigningState, options: { now: Date; expiries: Expiries; keyring: Map<string, SigningKey> }): Result<{ snapshotVersion: number; timestampVersion: number }> {
  const meta: Record<string, MetaFile> = {};
  for (const [role, md] of [...state.targets].sort(([a], [b]) => (a < b ? -1 : 1))) meta[`${role}.json`] = new MetaFile({ version: md.signed.version });
  const snapshotVersion = state.snapshotVersion + 1;
  const snapshot = new Metadata(new Snapshot({ version: snapshotVersion, specVersion, expires: expiresAfter(options.now, options.expiries.snapshotDays), meta }));
  const signedSnapshot = signRole(snapshot, 'snapshot', roleKeys(state, 'snapshot')!, options.keyring);
  if (!signedSnapshot.ok) return signedSnapshot;
  const snapshotFile = `${snapshotVersion}.snapshot.json`;
  writeMetadata(paths, snapshotFile, signedSnapshot.value);
  return writeTimestamp(paths, state, options, snapshotVersion);
}

export function writeTimestamp(paths: RepoPaths, state: SigningState, options: { now: Date; expiries: Expiries; keyring: Map<string, SigningKey> }, snapshotVersion: number): Result<{ snapshotVersion: number; timestampVersion: number }> {
  const snapshotFile = `${snapshotVersion}.snapshot.json`;
  const bytes = metadataBytes(paths, snapshotFile);
  const snapshotMeta = new MetaFile({ version: snapshotVersion, length: bytes.length, hashes: { sha256: createHash('sha256').update(bytes).digest('hex') } });
  const timestampVersion = state.timestampVersion + 1;
  const timestamp = new Metadata(new Timestamp({ version: timestampVersion, specVersion, expires: expiresAfter(options.now, options.expiries.timestampDays), snapshotMeta }));
  const signed = signRole(timestamp, 'timestamp', roleKeys(state, 'timestamp')!, options.keyring);
  if (!signed.ok) return signed;
  writeMetadata(paths, 'timestamp.json', signed.value);
  return ok({ snapshotVersion, timestampVersion });
}
