// The crash-loop guard: an agent that starts N times within M minutes while a new content version is on
// probation goes back to last-known-good by itself, and the rollback is kept for its status and its next
// report. A version that survives its probation becomes last-known-good.
import type { ContentStore } from './store.ts';

export type CrashLoopPolicy = {
  /** Starts (restarts) within `windowMs` that count as a crash loop. */
  maxStarts: number;
  windowMs: number;
  /** How long a new version must run without a crash loop to become last-known-good. */
  probationMs: number;
};

export const defaultCrashLoopPolicy: CrashLoopPolicy = { maxStarts: 3, windowMs: 10 * 60_000, probationMs: 30 * 60_000 };

export type StartDecision =
  | { kind: 'steady'; version?: string }
  | { kind: 'on-probation'; version: string; startsInWindow: number }
  | { kind: 'confirmed'; version: string }
  | { kind: 'rolled-back'; from: string; to: string; reason: string }
  | { kind: 'no-fallback'; version: string; reason: string };

/** Call once at every agent start, before loading content. */
export function guardAgentStart(store: ContentStore, now: Date, policy: CrashLoopPolicy = defaultCrashLoopPolicy): StartDecision {
  const probation = store.recordStart(now);
  const active = store.state().active;
  if (!probation || !active) return { kind: 'steady', ...(active ? { version: active.id } : {}) };
  const since = Date.parse(probation.since);
  const startsInWindow = probation.starts.filter((s) => now.getTime() - Date.parse(s) <= policy.windowMs && Date.parse(s) >= since).length;
  if (startsInWindow >= policy.maxStarts) {
    const reason = `crash loop: ${startsInWindow} agent starts within ${Math.round(policy.windowMs / 60_000)} min after content ${active.id} came in`;
    const rolledBack = store.rollback(reason, now);
    if (!rolledBack.ok) return { kind: 'no-fallback', version: active.id, reason: `${reason}; ${rolledBack.diagnostics[0]!.message}` };
    return { kind: 'rolled-back', from: active.id, to: rolledBack.value.id, reason };
  }
  if (now.getTime() - since >= policy.probationMs) {
    store.confirm(now);
    return { kind: 'confirmed', version: active.id };
  }
  return { kind: 'on-probation', version: active.id, startsInWindow };
}

/** Call periodically while running: promotes the running version once its probation has passed. */
export function confirmIfStable(store: ContentStore, now: Date, policy: CrashLoopPolicy = defaultCrashLoopPolicy): boolean {
  const { probation } = store.state();
  if (!probation || now.getTime() - Date.parse(probation.since) < policy.probationMs) return false;
  store.confirm(now);
  return true;
}
