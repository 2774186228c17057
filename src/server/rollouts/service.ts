// The rollout engine as the server uses it: start, pause, resume, approve, abort, the kill switch,
// group policies, status, the periodic tick that judges the active rollout, and the content
// directive answered to every heartbeat. Every method takes `now`; nothing reads a clock.
import { randomUUID } from 'node:crypto';
import { assignVersion, type Assignment } from './assignment.ts';
import { evaluateRollout, type Evaluation, type Exposure } from './controller.ts';
import { fail, ok, RolloutCodes, type Result } from './diagnostics.ts';
import { createFleetStateCache, groupOf } from './fleet-state.ts';
import { mostCommonContentVersion } from './health-window.ts';
import { defaultJudgeConfig, type JudgeConfig } from './judge/judge-config.ts';
import type { GroupPolicy } from './policy.ts';
import { defaultRingPlan, type RingPlan } from './ring-plan.ts';
import { isActive, newRollout, step, type Rollout, type RolloutEvent, type Transition } from './rollout.ts';
import { createRolloutStore, type BadVersion, type StoredVerdict } from './storage/rollout-store.ts';
import type { Store } from '../storage/store.ts';

export type RolloutServiceOptions = {
  store: Store;
  judge?: JudgeConfig;
  /** How long the heartbeat path may serve cached rollout state (several servers on one database). */
  stateTtlMs?: number;
  newId?: () => string;
};

export type StartRequest = { version: string; plan?: RingPlan; salt?: string; previousVersion?: string };
export type OperatorAction = 'pause' | 'resume' | 'approve' | 'abort';

export type RolloutStatus = {
  rollout: Rollout;
  transitions: Transition[];
  verdicts: StoredVerdict[];
  exposure: Exposure;
  /** The judge's view of the current bake window, for a rollout that is baking. */
  live: StoredVerdict | null;
};

export type TickOutcome =
  | { kind: 'idle' }
  | { kind: 'waiting'; rolloutId: string; phase: Rollout['phase']['kind'] }
  | { kind: 'baking'; rolloutId: string; evaluation: Evaluation }
  | { kind: 'moved'; rolloutId: string; transition: Transition; evaluation: Evaluation | null };

export type ContentDirective = Assignment;

export type RolloutService = ReturnType<typeof createRolloutService>;

export function createRolloutService(options: RolloutServiceOptions) {
  const store = options.store;
  const rollouts = createRolloutStore(store.db);
  const judge = options.judge ?? defaultJudgeConfig;
  const newId = options.newId ?? (() => randomUUID().slice(0, 8));
  const cache = createFleetStateCache(rollouts, options.stateTtlMs ?? 2000);
  const delivered = new Set<string>();
  const deps = { store, rollouts, judge };

  async function resolve(id: string): Promise<Result<Rollout>> {
    const rollout = id === 'current' ? await rollouts.active() ?? (await rollouts.list(1))[0] : await rollouts.get(id);
    return rollout ? ok(rollout) : fail(RolloutCodes.notFound, id === 'current' ? 'there is no rollout yet' : `no rollout "${id}"`, 'rollout');
  }

  async function apply(rollout: Rollout, event: RolloutEvent, now: number, verdict: StoredVerdict | null): Promise<Result<Transition | null>> {
    const stepped = step(rollout, event, now);
    if (stepped.kind === 'error') return stepped;
    if (stepped.value === null) return ok(null);
    const saved = await rollouts.saveStep(rollout, stepped.value, verdict);
    cache.invalidate();
    if (!saved) return fail(RolloutCodes.invalidTransition, 'the rollout changed meanwhile (another server or operator); look at its status and retry', `rollout ${rollout.id}`);
    return ok(stepped.value.transition);
  }

  return {
    async start(request: StartRequest, now: number): Promise<Result<Rollout>> {
      const active = await rollouts.active();
      if (active) return fail(RolloutCodes.alreadyActive, `rollout ${active.id} of ${active.version} is still ${active.phase.kind}; abort it or let it finish first`, 'version');
      if ((await rollouts.badVersions()).some((b) => b.version === request.version)) return fail(RolloutCodes.badVersion, `version ${request.version} was marked bad by the kill switch`, 'version');
      const releases = await rollouts.releases();
      if (releases.some((r) => r.version === request.version)) return fail(RolloutCodes.invalidRequest, `version ${request.version} is already released`, 'version');
      const bad = new Set((await rollouts.badVersions()).map((b) => b.version));
      const previous = request.previousVersion ?? releases.filter((r) => !bad.has(r.version)).at(-1)?.version ?? await mostCommonContentVersion(rollouts.db);
      if (previous === request.version) return fail(RolloutCodes.invalidRequest, `the fleet already runs ${request.version}; name the version it should leave with previousVersion`, 'version');
      if (previous !== null && !releases.some((r) => r.version === previous)) await rollouts.addRelease(previous, now, 'baseline');
      const created = newRollout({
        id: `r-${newId()}`, version: request.version, previousVersion: previous, salt: request.salt ?? `release:${request.version}`,
        plan: request.plan ?? defaultRingPlan(), now,
      });
      await rollouts.insert(created);
      cache.invalidate();
      return ok(created.rollout);
    },

    async act(id: string, action: OperatorAction, reason: string, now: number): Promise<Result<Transition>> {
      const found = await resolve(id);
      if (found.kind === 'error') return found;
      const moved = await apply(found.value, { kind: action, reason: reason || `operator ${action}` }, now, null);
      if (moved.kind === 'error') return moved;
      return moved.value ? ok(moved.value) : fail(RolloutCodes.invalidTransition, `${action} changed nothing`, `rollout ${found.value.id}`);
    },

    /** The kill switch: no host is assigned `version` again; a rollout of it is aborted and rolled back. */
    async kill(version: string, reason: string, now: number): Promise<Result<{ version: string; aborted: Transition | null }>> {
      await rollouts.markBad(version, now, reason || 'marked bad');
      cache.invalidate();
      const active = await rollouts.active();
      if (!active || active.version !== version) return ok({ version, aborted: null });
      const moved = await apply(active, { kind: 'kill', reason: `kill switch: ${version} marked bad (${reason || 'no reason given'})` }, now, null);
      return moved.kind === 'error' ? moved : ok({ version, aborted: moved.value });
    },

    badVersions: (): Promise<BadVersion[]> => rollouts.badVersions(),
    policies: () => rollouts.policies(),
    async setPolicy(group: string, policy: GroupPolicy, now: number): Promise<void> {
      await rollouts.setPolicy(group, policy, now);
      cache.invalidate();
    },
    releases: () => rollouts.releases(),
    list: (limit = 20) => rollouts.list(limit),

    async status(id: string, now: number): Promise<Result<RolloutStatus>> {
      const found = await resolve(id);
      if (found.kind === 'error') return found;
      const rollout = found.value;
      const [transitions, verdicts, state] = await Promise.all([rollouts.transitions(rollout.id), rollouts.verdicts(rollout.id), cache.get(now)]);
      const evaluation = await evaluateRollout(deps, rollout, state, rollout.phase.kind === 'baking' ? now : rollout.updatedAt);
      const live = rollout.phase.kind === 'baking'
        ? { ...evaluation.verdict, id: 'live', rolloutId: rollout.id, ringIndex: rollout.ringIndex, at: now }
        : null;
      return ok({ rollout, transitions, verdicts, exposure: evaluation.exposure, live });
    },

    /** Judges the active rollout once; a failure halts it at once, a bake's end moves it on. */
    async tick(now: number): Promise<Result<TickOutcome>> {
      const rollout = await rollouts.active();
      if (!rollout) return ok({ kind: 'idle' });
      const state = await cache.get(now);
      if (state.badVersions.has(rollout.version)) {
        const moved = await apply(rollout, { kind: 'kill', reason: `kill switch: ${rollout.version} is marked bad` }, now, null);
        if (moved.kind === 'error') return moved;
        return ok(moved.value ? { kind: 'moved', rolloutId: rollout.id, transition: moved.value, evaluation: null } : { kind: 'idle' });
      }
      if (rollout.phase.kind !== 'baking') return ok({ kind: 'waiting', rolloutId: rollout.id, phase: rollout.phase.kind });
      const evaluation = await evaluateRollout(deps, rollout, state, now);
      const bakeElapsed = now - rollout.ringStartedAt >= rollout.plan.rings[rollout.ringIndex]!.bakeSeconds * 1000;
      const verdictId = `${rollout.id}-v${newId()}`;
      const summary = evaluation.verdict.reasons.join('; ');
      // Looking at the statistics every tick and halting on the first significant one would fail good
      // releases by chance; mid-bake only a hard limit halts, the statistics speak at the bake's end.
      const kind = !bakeElapsed && evaluation.verdict.kind === 'fail' && !evaluation.verdict.hardFailure ? 'inconclusive' : evaluation.verdict.kind;
      const moved = await apply(rollout, { kind: 'judged', bakeElapsed, verdict: { id: verdictId, kind, summary } }, now,
        { ...evaluation.verdict, id: verdictId, rolloutId: rollout.id, ringIndex: rollout.ringIndex, at: now });
      if (moved.kind === 'error') return moved;
      if (moved.value === null) return ok({ kind: 'baking', rolloutId: rollout.id, evaluation });
      return ok({ kind: 'moved', rolloutId: rollout.id, transition: moved.value, evaluation });
    },

    /** The content a host should run, answered in its heartbeat response; remembers who was told what. */
    async directiveFor(host: { hostId: string; tags: readonly string[]; contentVersion: string | null }, now: number): Promise<ContentDirective> {
      const state = await cache.get(now);
      const assignment = assignVersion(state, { hostId: host.hostId, tags: host.tags, group: groupOf(host.tags) }, now);
      if (assignment.version !== null && assignment.version !== host.contentVersion) {
        const key = `${host.hostId}\0${assignment.version}`;
        if (!delivered.has(key)) {
          await rollouts.recordDelivery(host.hostId, assignment.version, assignment.reason === 'rollout' ? assignment.rolloutId : null, now);
          if (delivered.size > 500_000) delivered.clear();
          delivered.add(key);
        }
      }
      return assignment;
    },

    isActive,
  };
}
