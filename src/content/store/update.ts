// One update cycle on a host: fetch and verify through TUF, check the bundle, stage it, prove it in a
// worker, swap it in. Any failure leaves the running content untouched; a version that fails on this
// host is marked bad and not tried again until a newer one is published.
import { ContentCodes, contentDiagnostic, formatContentDiagnostic } from '../diagnostics.ts';
import type { ContentDiagnostic, Result } from '../diagnostics.ts';
import { decodeBundle } from '../bundle.ts';
import type { Pack } from '../bundle.ts';
import { packId } from '../manifest.ts';
import { satisfies } from '../semver.ts';
import { checkForUpdate } from '../tuf/client.ts';
import type { TufClientOptions } from '../tuf/client.ts';
import type { ContentStore } from './store.ts';

export type UpdateStep = 'download' | 'verify' | 'stage' | 'prove' | 'swap';

export type ProofReport = { rules: number; tests: number; heapUsedMb: number; elapsedMs: number };
/** Proves a bundle harmless on this host (normally in a worker, see prove.ts). */
export type Prover = (bytes: Buffer) => Promise<Result<ProofReport>>;

export type UpdateOptions = {
  store: ContentStore;
  /** Repository URLs; the store's tuf/ and work/ directories are used for metadata and scratch. */
  repository: { metadataBaseUrl: string; targetBaseUrl: string; fetchTimeoutMs?: number };
  packName: string;
  /** A version assigned by the control plane: fetched as is, even when older than the running one. */
  version?: string;
  engineVersion: string;
  prove: Prover;
  now: () => Date;
  /** Called before each step; tests use it to kill the process at every step. */
  onStep?: (step: UpdateStep) => Promise<void> | void;
};

export type UpdateOutcome =
  | { kind: 'up-to-date'; version: string }
  | { kind: 'updated'; from?: string; to: string; proof: ProofReport }
  | { kind: 'skipped-bad'; version: string; reason: string }
  | { kind: 'refused'; step: UpdateStep; version?: string; diagnostics: ContentDiagnostic[] };

export async function runUpdate(options: UpdateOptions): Promise<UpdateOutcome> {
  const { store, now } = options;
  const running = store.state().active;
  const current = running?.name === options.packName ? running.version : undefined;
  const tuf: TufClientOptions = { ...options.repository, metadataDir: store.tufDir, workDir: store.workDir };
  const skip = (c: { name: string; version: string }) => store.state().bad[`${c.name}@${c.version}`]?.reason;
  const fetched = await checkForUpdate(tuf, options.packName, current, { step: options.onStep, skip, ...(options.version === undefined ? {} : { pin: options.version }) });
  if (!fetched.ok) return { kind: 'refused', step: 'download', diagnostics: fetched.diagnostics };
  if (fetched.value.kind === 'up-to-date') return { kind: 'up-to-date', version: fetched.value.version };
  if (fetched.value.kind === 'skipped') return { kind: 'skipped-bad', version: `${fetched.value.channel.name}@${fetched.value.channel.version}`, reason: fetched.value.reason };
  const { channel, bytes } = fetched.value;
  const id = `${channel.name}@${channel.version}`;

  const checked = checkBundle(bytes, channel, options.engineVersion);
  if (!checked.ok) {
    store.markBad({ id }, checked.diagnostics.map(formatContentDiagnostic).join('; '), now(), 'verify');
    return { kind: 'refused', step: 'verify', version: id, diagnostics: checked.diagnostics };
  }
  await options.onStep?.('stage');
  const ref = store.stage(checked.value, bytes);
  await options.onStep?.('prove');
  const proof = await options.prove(bytes);
  if (!proof.ok) {
    store.markBad(ref, proof.diagnostics.map(formatContentDiagnostic).join('; '), now(), 'prove');
    return { kind: 'refused', step: 'prove', version: id, diagnostics: proof.diagnostics };
  }
  await options.onStep?.('swap');
  store.activate(ref, now());
  return { kind: 'updated', ...(running ? { from: running.id } : {}), to: ref.id, proof: proof.value };
}

/** The bundle must be what the signed channel says, and runnable by this engine. */
function checkBundle(bytes: Buffer, channel: { name: string; version: string }, engineVersion: string): Result<Pack> {
  const pack = decodeBundle(bytes, `${channel.name}@${channel.version}`);
  if (!pack.ok) return pack;
  const { manifest } = pack.value;
  const problems: ContentDiagnostic[] = [];
  if (manifest.name !== channel.name || manifest.version !== channel.version) {
    problems.push(contentDiagnostic(ContentCodes.bundleInvalid, `Bundle holds ${packId(manifest)} but the signed channel names ${channel.name}@${channel.version}`));
  }
  if (!satisfies(engineVersion, manifest.engine)) {
    problems.push(contentDiagnostic(ContentCodes.engineIncompatible, `${packId(manifest)} needs engine ${manifest.engine}; this host runs ${engineVersion}`));
  }
  return problems.length > 0 ? { ok: false, diagnostics: problems } : pack;
}

/** Delay before the next poll: the interval spread by ±jitter so a fleet does not poll in step. */
export function nextPollDelayMs(intervalMs: number, jitter: number, random: () => number): number {
  const spread = Math.min(Math.max(jitter, 0), 1);
  return Math.max(0, Math.round(intervalMs * (1 - spread + 2 * spread * random())));
}

export type UpdateLoop = { stop(): void };

/**
 * Polls forever with jitter, one cycle at a time, until stopped. Every outcome goes to `onOutcome`;
 * an unexpected exception becomes a `refused` outcome, so the caller's process never sees it.
 */
export function startUpdateLoop(options: UpdateOptions & { intervalMs: number; jitter: number; random: () => number; onOutcome: (o: UpdateOutcome) => void }): UpdateLoop {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const cycle = async () => {
    let outcome: UpdateOutcome;
    try {
      outcome = await runUpdate(options);
    } catch (error) {
      outcome = { kind: 'refused', step: 'download', diagnostics: [contentDiagnostic(ContentCodes.downloadFailed, `Update failed unexpectedly: ${(error as Error).message}`)] };
    }
    options.onOutcome(outcome);
    if (!stopped) timer = setTimeout(cycle, nextPollDelayMs(options.intervalMs, options.jitter, options.random));
  };
  timer = setTimeout(cycle, nextPollDelayMs(options.intervalMs, options.jitter, options.random));
  return { stop() { stopped = true; clearTimeout(timer); } };
}
