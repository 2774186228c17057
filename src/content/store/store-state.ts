// The content store's state file: which version runs, which one last ran well, the two before it,
// which versions failed on this host, and whether the running one is still on probation. Written whole
// with write-then-rename, so after any crash the file is the old state or the new one.
import { existsSync, readFileSync } from 'node:fs';
import { ContentCodes, contentDiagnostic, fail, ok } from '../diagnostics.ts';
import type { Result } from '../diagnostics.ts';
import { writeFileAtomic } from '../pack-dir.ts';

export type VersionRef = { id: string; name: string; version: string; sha256: string };

export type StoreEvent =
  | { kind: 'activated'; at: string; version: string; from?: string }
  | { kind: 'confirmed'; at: string; version: string }
  | { kind: 'refused'; at: string; version: string; stage: string; reason: string }
  | { kind: 'rolled-back'; at: string; from: string; to: string; reason: string }
  | { kind: 'recovered'; at: string; from: string; to: string; reason: string };

export type StoreState = {
  format: 1;
  active?: VersionRef;
  /** The newest version that ran through its probation without a crash loop. */
  lastKnownGood?: VersionRef;
  /** The two good versions before last-known-good, newest first. */
  previous: VersionRef[];
  /** Versions that failed on this host, by id; never retried (a newer version is tried). */
  bad: Record<string, { reason: string; at: string }>;
  /** Set while `active` is newer than last-known-good: when it came in and agent starts since. */
  probation?: { since: string; starts: string[] };
  /** The latest rollback or recovery, kept for status after it has been reported. */
  lastRollback?: StoreEvent;
  /** Events not yet acknowledged by a report to the server (bounded). */
  unreported: StoreEvent[];
};

export const emptyState: StoreState = { format: 1, previous: [], bad: {}, unreported: [] };
const maxUnreported = 50;

export function readState(file: string): Result<StoreState> {
  if (!existsSync(file)) return ok(structuredClone(emptyState));
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as StoreState;
    if (raw.format !== 1 || !Array.isArray(raw.previous) || typeof raw.bad !== 'object' || !Array.isArray(raw.unreported)) {
      return fail(contentDiagnostic(ContentCodes.storeCorrupt, 'Cannot open content store: state.json has an unknown shape', { file }));
    }
    return ok(raw);
  } catch (error) {
    return fail(contentDiagnostic(ContentCodes.storeCorrupt, `Cannot open content store: ${(error as Error).message}`, { file }));
  }
}

export function writeState(file: string, state: StoreState): void {
  const bounded = { ...state, unreported: state.unreported.slice(-maxUnreported) };
  writeFileAtomic(file, `${JSON.stringify(bounded, null, 2)}\n`);
}
