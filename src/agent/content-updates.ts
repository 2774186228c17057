// Content changes while the agent runs. With a server, the server decides the version (its heartbeat
// answer's `directives.content`), including a rollback to an older one; without a server, the agent
// polls the repository's channel for the newest version. Either way the update goes through the
// content store (fetch and verify with TUF, prove in a worker, atomic swap), and the engine is rebuilt.
import {
  confirmIfStable, createWorkerProver, runUpdate, startUpdateLoop,
  type ContentStore, type CrashLoopPolicy, type UpdateLoop, type UpdateOutcome,
} from '../content/index.ts';
import type { ContentDirective } from './control-plane.ts';

export type ContentUpdaterOptions = {
  store: ContentStore;
  packName: string;
  repository?: string;
  engineVersion: string;
  proof: { timeoutS: number; memoryMb: number };
  policy: CrashLoopPolicy;
  /** Poll the channel (no server) every this many seconds; 0 = do not poll. */
  pollIntervalS: number;
  now: () => Date;
  random: () => number;
  /** Rebuild the engine from what the store now says is active. */
  reload: (why: string) => void;
  log: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
};

export type DirectiveOutcome = UpdateOutcome | { kind: 'activated-stored'; version: string } | { kind: 'cannot'; version: string; reason: string };

export type ContentUpdaterStatus = { busy: boolean; directive: ContentDirective | null; lastOutcome: DirectiveOutcome | null; lastOutcomeAt: string | null };

export type ContentUpdater = { obey(directive: ContentDirective): void; status(): ContentUpdaterStatus; idle(): Promise<void>; stop(): void };

/** A directive that failed is retried after this long (unless the version is marked bad here). */
const retryAfterMs = 10 * 60_000;

export function createContentUpdater(options: ContentUpdaterOptions): ContentUpdater {
  const { store } = options;
  let busy: Promise<void> | undefined;
  let directive: ContentDirective | null = null;
  let lastOutcome: DirectiveOutcome | null = null;
  let lastOutcomeAt: string | null = null;
  const failedAt = new Map<string, number>();
  const base = options.repository?.replace(/\/+$/, '');
  const repository = base === undefined ? undefined : { metadataBaseUrl: `${base}/metadata`, targetBaseUrl: `${base}/targets` };
  const prove = createWorkerProver({ engineVersion: options.engineVersion, limits: { timeoutMs: options.proof.timeoutS * 1000, maxOldGenerationSizeMb: options.proof.memoryMb } });
  const record = (outcome: DirectiveOutcome) => {
    lastOutcome = outcome;
    lastOutcomeAt = options.now().toISOString();
    if (outcome.kind === 'updated' || outcome.kind === 'activated-stored') options.reload(`content ${outcome.kind === 'updated' ? outcome.to : outcome.version}`);
    options.log(outcome.kind === 'refused' || outcome.kind === 'cannot' ? 'warn' : 'info', `content update: ${outcome.kind}`, { outcome });
  };
  const running = () => {
    const active = store.state().active;
    return active?.name === options.packName ? active.version : undefined;
  };

  const apply = async (version: string): Promise<DirectiveOutcome> => {
    const id = `${options.packName}@${version}`;
    if (store.isBad(id)) return { kind: 'skipped-bad', version: id, reason: store.state().bad[id]!.reason };
    const state = store.state();
    const stored = [state.lastKnownGood, ...state.previous].find((r) => r?.name === options.packName && r.version === version);
    if (repository) {
      return runUpdate({ store, repository, packName: options.packName, version, engineVersion: options.engineVersion, prove, now: options.now });
    }
    // Without a repository only a version this host already proved can be taken (typically a rollback).
    if (stored) { store.activate(stored, options.now()); return { kind: 'activated-stored', version: stored.id }; }
    return { kind: 'cannot', version: id, reason: 'no content repository is configured (content.repository) and the version is not in the local store' };
  };

  let loop: UpdateLoop | undefined;
  if (repository && options.pollIntervalS > 0) {
    loop = startUpdateLoop({
      store, repository, packName: options.packName, engineVersion: options.engineVersion, prove, now: options.now,
      intervalMs: options.pollIntervalS * 1000, jitter: 0.2, random: options.random,
      onOutcome: (outcome) => { if (outcome.kind !== 'up-to-date') record(outcome); },
    });
  }
  const confirmTimer = setInterval(() => {
    try {
      if (confirmIfStable(store, options.now(), options.policy)) options.log('info', 'content confirmed: it becomes last-known-good', { version: store.state().active?.id });
    } catch (error) {
      options.log('warn', 'content confirmation failed', { error: (error as Error).message });
    }
  }, Math.min(60_000, Math.max(1000, options.policy.probationMs / 10)));
  confirmTimer.unref();

  return {
    obey(next) {
      directive = next;
      const version = next.version;
      if (version === null || version === running() || busy) return;
      const failed = failedAt.get(version);
      if (failed !== undefined && options.now().getTime() - failed < retryAfterMs) return;
      busy = (async () => {
        let outcome: DirectiveOutcome;
        try {
          outcome = await apply(version);
        } catch (error) {
          outcome = { kind: 'cannot', version, reason: (error as Error).message };
        }
        if (outcome.kind === 'refused' || outcome.kind === 'cannot' || outcome.kind === 'skipped-bad') failedAt.set(version, options.now().getTime());
        else failedAt.delete(version);
        record(outcome);
      })().finally(() => { busy = undefined; });
    },
    status: () => ({ busy: busy !== undefined, directive, lastOutcome, lastOutcomeAt }),
    idle: async () => { await busy; },
    stop() {
      loop?.stop();
      clearInterval(confirmTimer);
    },
  };
}
