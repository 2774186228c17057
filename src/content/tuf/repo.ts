// Publisher-side TUF operations on a static-file repository: init (root, targets, snapshot and
// timestamp roles with ed25519 keys, thresholds and expiries), publish a bundle (as a top-level or a
// delegated role), re-sign the timestamp, rotate a role's keys (root included), delegate to a publisher.
import { mkdirSync, readFileSync, renameSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Key, Metadata, Root, TargetFile, Targets } from '@tufjs/models';
import type { JSONObject } from '@tufjs/models/dist/utils/index.js';
import { ContentCodes, contentDiagnostic, fail, ok } from '../diagnostics.ts';
import type { Result } from '../diagnostics.ts';
import { decodeBundle, sha256Hex } from '../bundle.ts';
import { compareVersions } from '../semver.ts';
import { generateSigningKey, keyIdOf, saveSigningKey } from './keys.ts';
import type { PublicKeyJson, SigningKey } from './keys.ts';
import {
  defaultExpiries, expiresAfter, keyringFor, latestRootVersion, readRepoState, repoPaths, resignSnapshotAndTimestamp,
  roleKeys, signRole, specVersion, topRoles, versionsOf, writeMetadata, writeTimestamp,
} from './repo-metadata.ts';
import type { Expiries, RepoPaths, RepoState, SigningState, TopRole } from './repo-metadata.ts';
import { channelTarget, packTarget } from './target-names.ts';
import type { Channel } from './target-names.ts';

export type RoleKeySpec = { keys: number; threshold: number };
export type InitOptions = { now: Date; expiries?: Partial<Expiries>; roles?: Partial<Record<TopRole, RoleKeySpec>> };
export type RepoConfig = { expiries: Expiries };

function readConfig(paths: RepoPaths): RepoConfig {
  const file = join(paths.dir, 'repo.json');
  return existsSync(file) ? { expiries: { ...defaultExpiries, ...(JSON.parse(readFileSync(file, 'utf8')) as RepoConfig).expiries } } : { expiries: defaultExpiries };
}

function toKey(key: { keyId: string; publicJson: PublicKeyJson }): Key {
  return Key.fromJSON(key.keyId, key.publicJson);
}

/** Creates a repository with fresh keys for the four top-level roles, and empty targets. */
export function initRepo(dir: string, options: InitOptions): Result<{ keyIds: Record<TopRole, string[]> }> {
  const paths = repoPaths(dir);
  if (latestRootVersion(paths) > 0) return fail(contentDiagnostic(ContentCodes.repoInvalid, 'Cannot init repository: it already has root metadata', { file: paths.metadata }));
  const expiries = { ...defaultExpiries, ...options.expiries };
  mkdirSync(paths.targets, { recursive: true });
  writeFileSync(join(dir, 'repo.json'), `${JSON.stringify({ expiries }, null, 2)}\n`);
  const keyring = new Map<string, SigningKey>();
  const keys: Record<string, Key> = {};
  const roles: Record<string, { keyids: string[]; threshold: number }> = {};
  const keyIds = {} as Record<TopRole, string[]>;
  for (const role of topRoles) {
    const spec = options.roles?.[role] ?? { keys: 1, threshold: 1 };
    if (spec.threshold < 1 || spec.threshold > spec.keys) return fail(contentDiagnostic(ContentCodes.repoInvalid, `Cannot init repository: ${role} threshold ${spec.threshold} needs 1..${spec.keys}`));
    const made = Array.from({ length: spec.keys }, generateSigningKey);
    for (const key of made) { keyring.set(key.keyId, key); keys[key.keyId] = toKey(key); saveSigningKey(paths.keys, key); }
    keyIds[role] = made.map((k) => k.keyId);
    roles[role] = { keyids: keyIds[role], threshold: spec.threshold };
  }
  const root = new Metadata(Root.fromJSON({ _type: 'root', spec_version: specVersion, version: 1, expires: expiresAfter(options.now, expiries.rootDays), consistent_snapshot: true, keys: Object.fromEntries(Object.entries(keys).map(([id, k]) => [id, k.toJSON()])), roles }));
  const signedRoot = signRole(root, 'root', { keyIds: keyIds.root, threshold: roles['root']!.threshold }, keyring);
  if (!signedRoot.ok) return signedRoot;
  writeMetadata(paths, '1.root.json', signedRoot.value);
  writeMetadata(paths, 'root.json', signedRoot.value);
  const targets = new Metadata(new Targets({ version: 1, specVersion, expires: expiresAfter(options.now, expiries.targetsDays) }));
  const state: SigningState = { root: signedRoot.value, targets: new Map([['targets', targets]]), snapshotVersion: 0, timestampVersion: 0 };
  const signedTargets = signRole(targets, 'targets', roleKeys(state, 'targets')!, keyring);
  if (!signedTargets.ok) return signedTargets;
  writeMetadata(paths, '1.targets.json', signedTargets.value);
  const rest = resignSnapshotAndTimestamp(paths, state, { now: options.now, expiries, keyring });
  return rest.ok ? ok({ keyIds }) : rest;
}

export type PublishOptions = { now: Date; role?: string; keyDirs?: readonly string[] };
export type PublishResult = { target: string; channel: string; role: string; version: string; roleVersion: number; snapshotVersion: number; timestampVersion: number };

/** Adds a bundle as a target plus its channel pointer, then new snapshot and timestamp versions. */
export function publishBundle(dir: string, bytes: Buffer, options: PublishOptions): Result<PublishResult> {
  const paths = repoPaths(dir);
  const pack = decodeBundle(bytes);
  if (!pack.ok) return pack;
  const { name, version, publisher } = pack.value.manifest;
  const state = readRepoState(paths);
  if (!state.ok) return state;
  const role = options.role ?? 'targets';
  const spec = roleKeys(state.value, role);
  if (!spec || role === 'root' || role === 'snapshot' || role === 'timestamp') return fail(contentDiagnostic(ContentCodes.repoInvalid, `Cannot publish: "${role}" is neither "targets" nor a delegated role of this repository`));
  const target = packTarget(name, version);
  const channel = channelTarget(name);
  if (role !== 'targets') {
    const delegation = state.value.targets.get('targets')!.signed.delegations!.roles![role]!;
    for (const path of [target, channel]) {
      if (!delegation.isDelegatedPath(path)) return fail(contentDiagnostic(ContentCodes.repoInvalid, `Cannot publish: role "${role}" may publish ${JSON.stringify(delegation.paths)}, not "${path}"`));
    }
  }
  const current = state.value.targets.get(role);
  const previous = current?.signed.targets[channel]?.custom['version'];
  if (typeof previous === 'string' && compareVersions(version, previous) <= 0) {
    return fail(contentDiagnostic(ContentCodes.versionRollback, `Cannot publish ${name} ${version}: ${previous} is already published and versions only go up`));
  }
  const channelBytes = Buffer.from(`${JSON.stringify({ name, version, target } satisfies Channel)}\n`);
  const custom = { version, publisher };
  const files = [{ path: target, bytes }, { path: channel, bytes: channelBytes }];
  const targetsJson = current ? current.signed.toJSON() : { _type: 'targets', spec_version: specVersion, targets: {} };
  const entries = { ...(targetsJson['targets'] as Record<string, unknown>) };
  for (const file of files) {
    const hash = sha256Hex(file.bytes);
    // Consistent snapshots: a target is stored under its hash, so a client mid-update never sees a mix.
    const stored = join(paths.targets, name, `${hash}.${file.path.split('/').at(-1)}`);
    mkdirSync(join(paths.targets, name), { recursive: true });
    writeFileSync(stored, file.bytes);
    entries[file.path] = new TargetFile({ path: file.path, length: file.bytes.length, hashes: { sha256: hash }, unrecognizedFields: { custom } }).toJSON();
  }
  const config = readConfig(paths);
  const roleVersion = (current?.signed.version ?? 0) + 1;
  const next = new Metadata(Targets.fromJSON({ ...targetsJson, targets: entries as JSONObject, version: roleVersion, expires: expiresAfter(options.now, config.expiries.targetsDays) }));
  const keyring = keyringFor(paths, options.keyDirs);
  const signed = signRole(next, role, spec, keyring);
  if (!signed.ok) return signed;
  writeMetadata(paths, `${roleVersion}.${encodeURIComponent(role)}.json`, signed.value);
  state.value.targets.set(role, signed.value);
  const rest = resignSnapshotAndTimestamp(paths, versionsOf(state.value), { now: options.now, expiries: config.expiries, keyring });
  if (!rest.ok) return rest;
  return ok({ target, channel, role, version, roleVersion, ...rest.value });
}

/** Re-signs the timestamp with a fresh expiry: run it more often than the timestamp expires. */
export function refreshTimestamp(dir: string, options: { now: Date; keyDirs?: readonly string[] }): Result<{ timestampVersion: number }> {
  const paths = repoPaths(dir);
  const state = readRepoState(paths);
  if (!state.ok) return state;
  const result = writeTimestamp(paths, versionsOf(state.value), { now: options.now, expiries: readConfig(paths).expiries, keyring: keyringFor(paths, options.keyDirs) }, state.value.snapshot.signed.version);
  return result.ok ? ok({ timestampVersion: result.value.timestampVersion }) : result;
}

export type RotateOptions = { now: Date; role: TopRole; keys?: number; threshold?: number; keyDirs?: readonly string[] };

/**
 * Replaces a top-level role's keys with fresh ones in a new root version, signed by the old root keys
 * and the new ones (so clients can follow the chain), then re-signs every role with the new keys.
 * The replaced private keys move to keys/retired/.
 */
export function rotateKeys(dir: string, options: RotateOptions): Result<{ rootVersion: number; keyIds: string[] }> {
  const paths = repoPaths(dir);
  const state = readRepoState(paths);
  if (!state.ok) return state;
  const keyring = keyringFor(paths, options.keyDirs);
  const old = state.value.root.signed;
  const oldSpec = roleKeys(state.value, 'root')!;
  const count = options.keys ?? old.roles[options.role]!.keyIDs.length;
  const threshold = options.threshold ?? old.roles[options.role]!.threshold;
  if (threshold < 1 || threshold > count) return fail(contentDiagnostic(ContentCodes.repoInvalid, `Cannot rotate ${options.role}: threshold ${threshold} needs 1..${count}`));
  const made = Array.from({ length: count }, generateSigningKey);
  const json = old.toJSON() as { keys: Record<string, unknown>; roles: Record<string, { keyids: string[]; threshold: number }> };
  const retired = old.roles[options.role]!.keyIDs;
  const roles = { ...json.roles, [options.role]: { keyids: made.map((k) => k.keyId), threshold } };
  const stillUsed = new Set(Object.values(roles).flatMap((r) => r.keyids));
  const keys = Object.fromEntries(Object.entries(json.keys).filter(([id]) => stillUsed.has(id)));
  for (const key of made) { keys[key.keyId] = toKey(key).toJSON(); keyring.set(key.keyId, key); }
  const rootVersion = old.version + 1;
  const root = new Metadata(Root.fromJSON({ ...json, keys: keys as JSONObject, roles, version: rootVersion, expires: expiresAfter(options.now, readConfig(paths).expiries.rootDays) }));
  const byOld = signRole(root, 'root', oldSpec, keyring);
  if (!byOld.ok) return byOld;
  if (options.role === 'root') {
    const byNew = signRole(root, 'root', { keyIds: roles['root']!.keyids, threshold: roles['root']!.threshold }, keyring);
    if (!byNew.ok) return byNew;
  }
  for (const made1 of made) saveSigningKey(paths.keys, made1);
  writeMetadata(paths, `${rootVersion}.root.json`, root);
  writeMetadata(paths, 'root.json', root);
  retire(paths, retired, stillUsed);
  const nextState: RepoState = { ...state.value, root };
  if (options.role === 'targets') {
    const targets = nextState.targets.get('targets')!;
    const next = new Metadata(Targets.fromJSON({ ...targets.signed.toJSON(), version: targets.signed.version + 1 }));
    const signed = signRole(next, 'targets', { keyIds: roles['targets']!.keyids, threshold: roles['targets']!.threshold }, keyring);
    if (!signed.ok) return signed;
    writeMetadata(paths, `${next.signed.version}.targets.json`, signed.value);
    nextState.targets.set('targets', signed.value);
  }
  const rest = resignSnapshotAndTimestamp(paths, versionsOf(nextState), { now: options.now, expiries: readConfig(paths).expiries, keyring });
  return rest.ok ? ok({ rootVersion, keyIds: made.map((k) => k.keyId) }) : rest;
}

function retire(paths: RepoPaths, keyIds: readonly string[], stillUsed: Set<string>): void {
  mkdirSync(join(paths.keys, 'retired'), { recursive: true });
  for (const id of keyIds) {
    const file = join(paths.keys, `${id}.pem`);
    if (!stillUsed.has(id) && existsSync(file)) renameSync(file, join(paths.keys, 'retired', `${id}.pem`));
  }
}

export type DelegateOptions = { now: Date; name: string; paths: string[]; publicKeys: PublicKeyJson[]; threshold: number; keyDirs?: readonly string[] };

/** Lets another publisher sign the targets under `paths` with its own keys (a delegated targets role). */
export function delegate(dir: string, options: DelegateOptions): Result<{ targetsVersion: number }> {
  const paths = repoPaths(dir);
  const state = readRepoState(paths);
  if (!state.ok) return state;
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(options.name) || (topRoles as readonly string[]).includes(options.name)) {
    return fail(contentDiagnostic(ContentCodes.repoInvalid, `Cannot delegate: role name "${options.name}" must be lower-case letters, digits and dashes, and not a top-level role`));
  }
  if (options.threshold < 1 || options.threshold > options.publicKeys.length) return fail(contentDiagnostic(ContentCodes.repoInvalid, `Cannot delegate: threshold ${options.threshold} needs 1..${options.publicKeys.length} keys`));
  const targets = state.value.targets.get('targets')!;
  const json = targets.signed.toJSON() as Record<string, unknown>;
  const delegations = (json['delegations'] ?? { keys: {}, roles: [] }) as { keys: Record<string, unknown>; roles: { name: string }[] };
  const ids = options.publicKeys.map((k) => keyIdOf(k));
  const keys = { ...delegations.keys, ...Object.fromEntries(options.publicKeys.map((k, i) => [ids[i]!, k])) };
  const role = { name: options.name, keyids: ids, threshold: options.threshold, terminating: true, paths: options.paths };
  const roles = [...delegations.roles.filter((r) => r.name !== options.name), role];
  const next = new Metadata(Targets.fromJSON({ ...json, delegations: { keys, roles } as unknown as JSONObject, version: targets.signed.version + 1, expires: expiresAfter(options.now, readConfig(paths).expiries.targetsDays) }));
  const keyring = keyringFor(paths, options.keyDirs);
  const signed = signRole(next, 'targets', roleKeys(state.value, 'targets')!, keyring);
  if (!signed.ok) return signed;
  writeMetadata(paths, `${next.signed.version}.targets.json`, signed.value);
  state.value.targets.set('targets', signed.value);
  const rest = resignSnapshotAndTimestamp(paths, versionsOf(state.value), { now: options.now, expiries: readConfig(paths).expiries, keyring });
  return rest.ok ? ok({ targetsVersion: next.signed.version }) : rest;
}
