// The client side of distribution: tuf-js's Updater refreshes and verifies the metadata (root chain,
// timestamp, snapshot, targets and delegations: signatures, thresholds, versions, expiry, hashes and
// lengths), then fetches a pack's channel pointer and the bundle it names. Every failure becomes a
// diagnostic; nothing from the network throws out of here.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Updater } from 'tuf-js';
import { ContentCodes, contentDiagnostic, fail, ok } from '../diagnostics.ts';
import type { Result } from '../diagnostics.ts';
import { writeFileAtomic } from '../pack-dir.ts';
import { compareVersions, parseSemVer } from '../semver.ts';
import { channelTarget, packTarget } from './target-names.ts';
import type { Channel } from './target-names.ts';

export type TufClientOptions = {
  /** Trusted metadata; starts with the root.json shipped with the agent. */
  metadataDir: string;
  metadataBaseUrl: string;
  targetBaseUrl: string;
  /** Scratch space on the same file system as metadataDir. */
  workDir: string;
  fetchTimeoutMs?: number;
};

export type UpdateCheck =
  | { kind: 'up-to-date'; version: string }
  | { kind: 'skipped'; channel: Channel; reason: string }
  | { kind: 'fetched'; channel: Channel; bytes: Buffer; sha256: string };

export type FetchHooks = {
  step?: (name: 'download' | 'verify') => Promise<void> | void;
  /** A reason not to download this version (e.g. it is marked bad on this host). */
  skip?: (channel: Channel) => string | undefined;
  /**
   * Fetch exactly this version (one the control plane assigned, which may be older than the running
   * one: a server-directed rollback), bypassing the channel pointer and its newer-only check.
   */
  pin?: string;
};

/**
 * Asks the repository for the newest version of a pack. Returns `up-to-date` when it is not newer than
 * `currentVersion`; refuses a channel that points below it (rollback). The bundle's bytes have passed
 * TUF's length and hash checks when this returns them.
 */
export async function checkForUpdate(options: TufClientOptions, packName: string, currentVersion: string | undefined, hooks: FetchHooks = {}): Promise<Result<UpdateCheck>> {
  const scratch = join(options.workDir, `tuf-${randomBytes(6).toString('hex')}`);
  const metaDir = join(scratch, 'metadata');
  const targetDir = join(scratch, 'targets');
  try {
    mkdirSync(metaDir, { recursive: true });
    mkdirSync(targetDir, { recursive: true });
    if (!existsSync(join(options.metadataDir, 'root.json'))) {
      return fail(contentDiagnostic(ContentCodes.tufRejected, 'Cannot check for updates: no trusted root.json; install the repository\'s root metadata first', { file: options.metadataDir }));
    }
    // tuf-js writes metadata in place; work on a copy and commit each file atomically afterwards, so a
    // kill mid-write can never leave a truncated trusted root behind.
    for (const name of readdirSync(options.metadataDir).filter((n) => n.endsWith('.json'))) copyFileSync(join(options.metadataDir, name), join(metaDir, name));
    const updater = new Updater({
      metadataDir: metaDir, metadataBaseUrl: options.metadataBaseUrl, targetBaseUrl: options.targetBaseUrl, targetDir,
      config: { fetchTimeout: options.fetchTimeoutMs ?? 30_000, fetchRetries: 0, userAgent: 'ring3' },
    });
    await hooks.step?.('download');
    if (hooks.pin !== undefined) {
      if (hooks.pin === currentVersion) return ok({ kind: 'up-to-date', version: currentVersion });
      if (!parseSemVer(hooks.pin)) return fail(contentDiagnostic(ContentCodes.tufRejected, `Cannot fetch ${packName} "${hooks.pin}": not a semver version`));
      const pinned: Channel = { name: packName, version: hooks.pin, target: packTarget(packName, hooks.pin) };
      const skipPinned = hooks.skip?.(pinned);
      if (skipPinned !== undefined) return ok({ kind: 'skipped', channel: pinned, reason: skipPinned });
      const info = await updater.getTargetInfo(pinned.target);
      if (!info) return fail(contentDiagnostic(ContentCodes.tufRejected, `Cannot fetch ${packName}@${hooks.pin}: the signed targets do not list "${pinned.target}"`, { file: options.metadataBaseUrl }));
      commitMetadata(metaDir, options.metadataDir);
      const path = await updater.downloadTarget(info, join(targetDir, 'bundle.r3pack'));
      await hooks.step?.('verify');
      return ok({ kind: 'fetched', channel: pinned, bytes: readFileSync(path), sha256: info.hashes['sha256'] ?? '' });
    }
    const channelInfo = await updater.getTargetInfo(channelTarget(packName));
    if (!channelInfo) return fail(contentDiagnostic(ContentCodes.tufRejected, `Cannot update ${packName}: the repository's signed targets do not list "${channelTarget(packName)}"`, { file: options.metadataBaseUrl }));
    const channelPath = await updater.downloadTarget(channelInfo, join(targetDir, 'channel.json'));
    const channel = parseChannel(readFileSync(channelPath, 'utf8'), packName);
    if (!channel.ok) return channel;
    commitMetadata(metaDir, options.metadataDir);
    if (currentVersion !== undefined) {
      const order = compareVersions(channel.value.version, currentVersion);
      if (order === 0) return ok({ kind: 'up-to-date', version: currentVersion });
      if (order < 0) {
        return fail(contentDiagnostic(ContentCodes.versionRollback, `Refusing ${packName} ${channel.value.version}: it is older than the running ${currentVersion} (rollback)`, { file: channelTarget(packName) }));
      }
    }
    const skipReason = hooks.skip?.(channel.value);
    if (skipReason !== undefined) return ok({ kind: 'skipped', channel: channel.value, reason: skipReason });
    const packInfo = await updater.getTargetInfo(channel.value.target);
    if (!packInfo) return fail(contentDiagnostic(ContentCodes.tufRejected, `Cannot update ${packName}: the signed targets do not list "${channel.value.target}"`, { file: options.metadataBaseUrl }));
    const bundlePath = await updater.downloadTarget(packInfo, join(targetDir, 'bundle.r3pack'));
    await hooks.step?.('verify');
    const bytes = readFileSync(bundlePath);
    return ok({ kind: 'fetched', channel: channel.value, bytes, sha256: packInfo.hashes['sha256'] ?? '' });
  } catch (error) {
    return fail(explainTufError(error, options.metadataBaseUrl));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function parseChannel(text: string, packName: string): Result<Channel> {
  try {
    const value = JSON.parse(text) as Partial<Channel>;
    if (value.name === packName && typeof value.version === 'string' && parseSemVer(value.version) && typeof value.target === 'string') {
      return ok({ name: value.name, version: value.version, target: value.target });
    }
  } catch {
    // falls through to the diagnostic below
  }
  return fail(contentDiagnostic(ContentCodes.tufRejected, `Cannot update ${packName}: its channel pointer is not {"name","version","target"} for this pack`, { file: channelTarget(packName) }));
}

function commitMetadata(from: string, to: string): void {
  const names = readdirSync(from).filter((n) => n.endsWith('.json'));
  // Root first: the rest was verified against it.
  names.sort((a, b) => Number(b === 'root.json') - Number(a === 'root.json'));
  for (const name of names) {
    const bytes = readFileSync(join(from, name));
    const target = join(to, name);
    if (!existsSync(target) || !readFileSync(target).equals(bytes)) writeFileAtomic(target, bytes);
  }
}

// tuf-js wraps some errors into a RuntimeError's message, so both class names and messages are matched.
const explanations: Record<string, string> = {
  'signed by \\d+/\\d+ keys': 'metadata is not signed by enough trusted keys (unmet threshold)',
  ExpiredMetadataError: 'metadata has expired (a freeze attack, or the repository stopped re-signing its timestamp)',
  BadVersionError: 'metadata version is lower than the trusted one (rollback) or does not match what the snapshot lists (mix-and-match)',
  EqualVersionError: 'metadata version equals the trusted one but its content differs',
  UnsignedMetadataError: 'metadata is not signed by enough trusted keys (untrusted key or unmet threshold)',
  LengthOrHashMismatchError: 'a file\'s length or hash differs from the signed metadata',
  DownloadLengthMismatchError: 'the server sent more bytes than the signed metadata allows (endless data)',
  DownloadHTTPError: 'the server answered with an HTTP error',
  RepositoryError: 'the repository\'s metadata is inconsistent',
};

/** Names what a tuf-js error means for an operator, keeping the library's own message. */
export function explainTufError(error: unknown, where: string) {
  const err = error instanceof Error ? error : new Error(String(error));
  const chain: Error[] = [];
  for (let e: unknown = err; e instanceof Error && chain.length < 5; e = (e as Error).cause) chain.push(e);
  const text = chain.map((e) => `${e.constructor.name}: ${e.message}`).join(' <- ');
  const known = Object.keys(explanations).find((name) => new RegExp(name).test(text));
  const network = !known && /fetch failed|ECONNREFUSED|ECONNRESET|abort|timeout/i.test(text);
  const code = network ? ContentCodes.downloadFailed : ContentCodes.tufRejected;
  const why = known ? explanations[known] : network ? 'the repository could not be reached' : 'the update was rejected';
  return contentDiagnostic(code, `Update refused: ${why} (${text})`, { file: where });
}
