// The on-host content store: bundles by version, the pointer to the running one, last-known-good and
// the two before it, versions marked bad on this host. Every change is one atomic rename of state.json
// after the bundle it names is on disk, so a kill at any moment leaves the old version or the new one.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { ContentCodes, contentDiagnostic, fail, ok } from '../diagnostics.ts';
import type { ContentDiagnostic, Result } from '../diagnostics.ts';
import { decodeBundle, sha256Hex } from '../bundle.ts';
import type { Pack } from '../bundle.ts';
import { packId } from '../manifest.ts';
import { writeFileAtomic } from '../pack-dir.ts';
import { readState, writeState } from './store-state.ts';
import type { StoreEvent, StoreState, VersionRef } from './store-state.ts';

export type ActiveContent = { ref: VersionRef; pack: Pack; bytes: Buffer; role: 'active' | 'last-known-good' | 'previous' };

export type StoreStatus = {
  active?: string;
  lastKnownGood?: string;
  previous: string[];
  bad: Record<string, { reason: string; at: string }>;
  onProbation: boolean;
  lastRollback?: StoreEvent;
};

export type ContentStore = {
  readonly dir: string;
  readonly tufDir: string;
  readonly workDir: string;
  state(): StoreState;
  status(): StoreStatus;
  /** The content to run: active, or (if its file is missing or damaged) the newest good one, recorded. */
  load(now: Date): Result<ActiveContent>;
  /** Installs shipped content when the store is empty; it is trusted as last-known-good. */
  seed(bytes: Buffer, now: Date): Result<VersionRef>;
  /** Writes a verified bundle under versions/ (not yet running). */
  stage(pack: Pack, bytes: Buffer): VersionRef;
  /** Makes a staged version the running one, on probation until confirmed. */
  activate(ref: VersionRef, now: Date): void;
  /** The running version survived its probation: it becomes last-known-good. */
  confirm(now: Date): void;
  markBad(ref: Pick<VersionRef, 'id'>, reason: string, now: Date, stage?: string): void;
  isBad(id: string): boolean;
  /** Goes back to last-known-good, marking the running version bad. */
  rollback(reason: string, now: Date): Result<VersionRef>;
  /** Records an agent start for the crash-loop guard; returns the updated probation. */
  recordStart(now: Date): StoreState['probation'];
  takeUnreported(): StoreEvent[];
  acknowledgeReported(count: number): void;
};

export function openStore(dir: string): Result<ContentStore> {
  const versionsDir = join(dir, 'versions');
  const stateFile = join(dir, 'state.json');
  const tufDir = join(dir, 'tuf');
  const workDir = join(dir, 'work');
  for (const d of [dir, versionsDir, tufDir, workDir]) mkdirSync(d, { recursive: true });
  // Leftovers of an update that was killed mid-way are never referenced by state.json: drop them.
  for (const name of readdirSync(workDir)) rmSync(join(workDir, name), { recursive: true, force: true });
  for (const name of readdirSync(versionsDir).filter((n) => n.endsWith('.tmp'))) rmSync(join(versionsDir, name), { force: true });
  const initial = readState(stateFile);
  if (!initial.ok) return initial;
  let state = initial.value;
  const fileOf = (ref: Pick<VersionRef, 'id'>) => join(versionsDir, `${ref.id}.r3pack`);
  const save = (next: StoreState) => { writeState(stateFile, next); state = next; };
  const event = (e: StoreEvent) => [...state.unreported, e];

  const readVersion = (ref: VersionRef): Result<{ pack: Pack; bytes: Buffer }> => {
    const file = fileOf(ref);
    if (!existsSync(file)) return fail(contentDiagnostic(ContentCodes.storeCorrupt, `Content ${ref.id} is missing from the store`, { file }));
    const bytes = readFileSync(file);
    if (sha256Hex(bytes) !== ref.sha256) return fail(contentDiagnostic(ContentCodes.storeCorrupt, `Content ${ref.id} is damaged: its sha256 differs from the one recorded`, { file }));
    const pack = decodeBundle(bytes, file);
    return pack.ok ? ok({ pack: pack.value, bytes }) : pack;
  };

  const prune = (keep: StoreState) => {
    const wanted = new Set([keep.active, keep.lastKnownGood, ...keep.previous].filter((r): r is VersionRef => r !== undefined).map((r) => `${r.id}.r3pack`));
    for (const name of readdirSync(versionsDir)) if (!wanted.has(name)) rmSync(join(versionsDir, name), { force: true });
  };

  const store: ContentStore = {
    dir, tufDir, workDir,
    state: () => structuredClone(state),
    status: () => ({
      ...(state.active ? { active: state.active.id } : {}),
      ...(state.lastKnownGood ? { lastKnownGood: state.lastKnownGood.id } : {}),
      previous: state.previous.map((r) => r.id),
      bad: { ...state.bad },
      onProbation: state.probation !== undefined,
      ...(state.lastRollback ? { lastRollback: state.lastRollback } : {}),
    }),
    load(now) {
      const problems: ContentDiagnostic[] = [];
      const candidates: [VersionRef | undefined, ActiveContent['role']][] = [[state.active, 'active'], [state.lastKnownGood, 'last-known-good'], ...state.previous.map((r) => [r, 'previous'] as [VersionRef, 'previous'])];
      for (const [ref, role] of candidates) {
        if (!ref) continue;
        if (role !== 'active' && state.bad[ref.id]) continue;
        const read = readVersion(ref);
        if (!read.ok) { problems.push(...read.diagnostics); continue; }
        if (role !== 'active' && state.active) {
          const reason = problems.map((p) => p.message).join('; ');
          const recovered: StoreEvent = { kind: 'recovered', at: now.toISOString(), from: state.active.id, to: ref.id, reason };
          save({ ...state, active: ref, probation: undefined, bad: { ...state.bad, [state.active.id]: { reason, at: now.toISOString() } }, lastRollback: recovered, unreported: event(recovered) });
        }
        return ok({ ref, ...read.value, role });
      }
      return problems.length > 0 ? { ok: false, diagnostics: problems } : fail(contentDiagnostic(ContentCodes.storeCorrupt, 'The content store holds no content yet', { file: dir }));
    },
    seed(bytes, now) {
      const pack = decodeBundle(bytes, 'seed');
      if (!pack.ok) return pack;
      if (state.active) return ok(state.active);
      const ref = store.stage(pack.value, bytes);
      save({ ...state, active: ref, lastKnownGood: ref, probation: undefined, unreported: event({ kind: 'activated', at: now.toISOString(), version: ref.id }) });
      return ok(ref);
    },
    stage(pack, bytes) {
      const ref: VersionRef = { id: packId(pack.manifest), name: pack.manifest.name, version: pack.manifest.version, sha256: sha256Hex(bytes) };
      const file = fileOf(ref);
      if (!existsSync(file) || sha256Hex(readFileSync(file)) !== ref.sha256) writeFileAtomic(file, bytes);
      syncDir(versionsDir);
      return ref;
    },
    activate(ref, now) {
      const from = state.active?.id;
      save({ ...state, active: ref, probation: { since: now.toISOString(), starts: [] }, unreported: event({ kind: 'activated', at: now.toISOString(), version: ref.id, ...(from ? { from } : {}) }) });
    },
    confirm(now) {
      const active = state.active;
      if (!active || !state.probation) return;
      const previous = state.lastKnownGood && state.lastKnownGood.id !== active.id ? [state.lastKnownGood, ...state.previous].slice(0, 2) : state.previous;
      const next: StoreState = { ...state, lastKnownGood: active, previous, probation: undefined, unreported: event({ kind: 'confirmed', at: now.toISOString(), version: active.id }) };
      save(next);
      prune(next);
    },
    markBad(ref, reason, now, stage = 'host') {
      save({ ...state, bad: { ...state.bad, [ref.id]: { reason, at: now.toISOString() } }, unreported: event({ kind: 'refused', at: now.toISOString(), version: ref.id, stage, reason }) });
    },
    isBad: (id) => state.bad[id] !== undefined,
    rollback(reason, now) {
      const from = state.active;
      const to = state.lastKnownGood;
      if (!from || !to || from.id === to.id) return fail(contentDiagnostic(ContentCodes.storeCorrupt, `Cannot roll back: ${to ? 'the running version is the last-known-good one' : 'there is no last-known-good version'}`, { file: dir }));
      const rolledBack: StoreEvent = { kind: 'rolled-back', at: now.toISOString(), from: from.id, to: to.id, reason };
      save({ ...state, active: to, probation: undefined, bad: { ...state.bad, [from.id]: { reason, at: now.toISOString() } }, lastRollback: rolledBack, unreported: event(rolledBack) });
      return ok(to);
    },
    recordStart(now) {
      if (!state.probation) return undefined;
      const probation = { ...state.probation, starts: [...state.probation.starts, now.toISOString()].slice(-100) };
      save({ ...state, probation });
      return probation;
    },
    takeUnreported: () => [...state.unreported],
    acknowledgeReported(count) {
      if (count > 0) save({ ...state, unreported: state.unreported.slice(count) });
    },
  };
  return ok(store);
}

/** Makes a rename durable across power loss (a kill -9 alone does not need it). */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  }
}
