// Builds the agent's status (for `ring3 agent status`) and the facts its heartbeats are made of, from
// the parts the start-up steps created. Read-only: it never changes what it looks at.
import type { SensorRegistry, SensorStatus } from '../sensors/index.ts';
import type { AgentEnv, AgentRunOptions } from './agent.ts';
import type { AgentConfig } from './config.ts';
import type { StoreContent } from './content-source.ts';
import type { ContentUpdater } from './content-updates.ts';
import type { HeartbeatSensorState } from './control-plane.ts';
import type { JsonLinesOutput } from './json-lines-output.ts';
import type { LoadedContent, Pipeline } from './pipeline.ts';
import type { RunHistory } from './runs.ts';
import type { Spool, SpoolStats } from './spool.ts';
import { createRateMeter, createResourceSampler, type AgentStatus } from './status.ts';
import type { AgentFacts, Uplink } from './uplink.ts';

export type AgentParts = {
  state: AgentStatus['state'];
  runs: RunHistory | undefined;
  storeContent: StoreContent | undefined;
  content: LoadedContent | undefined;
  pipeline: Pipeline | undefined;
  spool: Spool | undefined;
  alertOutput: JsonLinesOutput | undefined;
  registry: SensorRegistry | undefined;
  updater: ContentUpdater | undefined;
  uplink: Uplink | undefined;
  ring: number | null;
  internalErrors: number;
};

const emptySpool: SpoolStats = { pending: 0, bytes: 0, segments: 0, evicted: 0, acknowledged: 0, oversized: 0, corruptLines: 0, writeErrors: 0, fsyncs: 0 };

export function createStatusBuilder(deps: { config: AgentConfig; env: AgentEnv; startedAt: Date; options: AgentRunOptions; get: () => AgentParts }) {
  const { config, env } = deps;
  const sample = createResourceSampler(env.clock);
  const rate = createRateMeter(env.clock);
  const heartbeatState = (s: SensorStatus): HeartbeatSensorState => (s.state === 'stopped' ? 'disabled' : s.state);
  const quarantined = (parts: AgentParts) => parts.pipeline?.engine().evaluator.quarantined() ?? [];

  const status = (): AgentStatus => {
    const parts = deps.get();
    const counters = parts.pipeline?.counters();
    const sensors = parts.registry?.statuses() ?? [];
    const ruleSet = parts.content?.ruleSet;
    const { cpuPct, rssMb, memory } = sample();
    const uplink = parts.uplink?.status();
    const updater = parts.updater?.status();
    const execPermission = sensors.find((s) => s.kind === 'exec_permission');
    return {
      state: parts.state,
      pid: process.pid,
      agentVersion: env.agentVersion,
      host: { name: config.host.name, tags: config.host.tags },
      startedAt: deps.startedAt.toISOString(),
      updatedAt: env.now().toISOString(),
      intervalS: config.status.intervalS,
      root: env.isRoot,
      cpuPct,
      rssMb,
      memory,
      sensors: sensors.map((s) => ({ ...s, eventsPerS: rate(`sensor:${s.name}`, s.events) })),
      events: {
        total: counters?.events ?? 0, perS: rate('events', counters?.events ?? 0), byKind: counters?.eventsByKind ?? {},
        errors: counters?.errors ?? 0, sinkErrors: parts.registry?.sinkErrors() ?? 0,
      },
      rules: {
        loaded: ruleSet?.rules.length ?? 0, detections: ruleSet?.detections.length ?? 0, correlations: ruleSet?.correlations.length ?? 0,
        rejected: parts.content?.rejected.length ?? 0, quarantined: quarantined(parts), costliest: parts.pipeline?.engine().budget.costs(5) ?? [],
      },
      content: {
        source: parts.storeContent ? 'store' : 'rules', label: parts.content?.label ?? '-', version: parts.content?.version ?? null, pack: parts.content?.packName ?? null,
        ...(parts.storeContent ? { store: parts.storeContent.store.status() as unknown as Record<string, unknown>, startDecision: parts.storeContent.decision } : {}),
        ...(updater?.lastOutcome ? { lastUpdate: { at: updater.lastOutcomeAt, outcome: updater.lastOutcome } } : {}),
      },
      alerts: { total: counters?.alerts ?? 0, byRule: counters?.alertsByRule ?? {}, outputDrops: parts.alertOutput?.drops() ?? 0, spool: parts.spool?.stats() ?? emptySpool },
      prevention: { enabled: execPermission !== undefined, allowed: execPermission?.counters['allowed'] ?? 0, denied: execPermission?.counters['denied'] ?? 0 },
      server: {
        url: deps.options.controlPlane?.url ?? null, hostId: deps.options.controlPlane?.hostId ?? null,
        state: uplink?.state ?? 'off', lastHeartbeatAt: uplink?.lastHeartbeatAt ?? null, lastError: uplink?.lastError ?? null,
        uploaded: uplink?.uploaded ?? 0, rejected: uplink?.rejected ?? 0, ring: parts.ring, directive: updater?.directive ?? null,
      },
      runs: { restarts: parts.runs?.restarts ?? 0, crashes: parts.runs?.crashes ?? 0 },
      internalErrors: parts.internalErrors,
    };
  };

  const facts = (): AgentFacts => {
    const parts = deps.get();
    const cpu = process.cpuUsage();
    const unreported = parts.storeContent?.store.takeUnreported() ?? [];
    const spool = parts.spool?.stats();
    return {
      atMs: env.clock(),
      cpuUs: cpu.user + cpu.system,
      rssMb: Math.round((process.memoryUsage.rss() / 1024 / 1024) * 100) / 100,
      agentVersion: env.agentVersion,
      contentVersion: parts.content?.version ?? null,
      ring: parts.ring,
      tags: config.host.tags,
      sensors: (parts.registry?.statuses() ?? []).map((s) => ({ name: s.name, state: heartbeatState(s), events: s.events, drops: s.drops })),
      alertsByRule: parts.pipeline?.counters().alertsByRule ?? {},
      quarantinedRules: quarantined(parts).map((q) => q.ruleId),
      restarts: parts.runs?.restarts ?? 0,
      crashes: parts.runs?.crashes ?? 0,
      extensions: {
        contentPack: parts.content?.packName ?? null,
        contentLabel: parts.content?.label ?? null,
        quarantine: quarantined(parts).slice(0, 50),
        ...(unreported.length > 0 ? { contentEvents: unreported } : {}),
        ...(spool ? { spool: { pending: spool.pending, evicted: spool.evicted } } : {}),
        internalErrors: parts.internalErrors,
      },
      onStored: () => { if (unreported.length > 0) parts.storeContent?.store.acknowledgeReported(unreported.length); },
    };
  };

  return { status, facts };
}
