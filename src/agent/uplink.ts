// Talking to the control plane: a heartbeat every interval (counters since the last one the server
// stored), and alert upload from the spool in batches, acknowledged by id. When the server is down,
// heartbeat counters keep accumulating and alerts stay in the spool; uploads back off with jitter.
import { randomUUID } from 'node:crypto';
import { isAlertRecord, toUpload } from './alert.ts';
import { describePortFailure, type ControlPlanePort, type HeartbeatPayload, type HeartbeatSensorState, type PortResult } from './control-plane.ts';
import type { Spool } from './spool.ts';

/** Cumulative counters of this agent process, sampled at heartbeat time. */
export type AgentFacts = {
  atMs: number;
  cpuUs: number;
  rssMb: number;
  agentVersion: string;
  contentVersion: string | null;
  ring: number | null;
  tags: string[];
  sensors: { name: string; state: HeartbeatSensorState; events: number; drops: number }[];
  alertsByRule: Record<string, number>;
  quarantinedRules: string[];
  restarts: number;
  crashes: number;
  extensions: Record<string, unknown>;
  /** Called once the server stored a heartbeat built from these facts (e.g. acknowledge content events). */
  onStored?: () => void;
};

export type UplinkState = 'connecting' | 'ok' | 'unavailable' | 'refused';

export type UplinkStatus = { state: UplinkState; lastHeartbeatAt: string | null; lastError: string | null; uploaded: number; rejected: number; heartbeats: number; intervalS: number };

export type UplinkOptions = {
  port: ControlPlanePort;
  spool: Spool;
  intervalS: number;
  uploadBatch: number;
  uploadIntervalMs: number;
  facts: () => AgentFacts;
  onDirectives: (directives: Record<string, unknown>) => void;
  now: () => Date;
  random: () => number;
  /** Longest wait between upload attempts while the server is unreachable. */
  maxBackoffMs?: number;
};

export type Uplink = { status(): UplinkStatus; /** Upload soon (an alert was spooled). */ wake(): void; stop(): Promise<void> };

export function startUplink(options: UplinkOptions): Uplink {
  const bootId = randomUUID();
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  let stopped = false;
  let seq = 0;
  let intervalS = options.intervalS;
  // Counters start now: the start-up's own CPU burst is not the steady state the health judge compares.
  // Restarts and crashes of the previous run are reported once, in the first heartbeat.
  let baseline: AgentFacts | undefined = { ...options.facts(), restarts: 0, crashes: 0 };
  const status: UplinkStatus = { state: 'connecting', lastHeartbeatAt: null, lastError: null, uploaded: 0, rejected: 0, heartbeats: 0, intervalS };
  const fail = (result: Exclude<PortResult<unknown>, { kind: 'ok' }>) => {
    status.state = result.kind === 'refused' && (result.status === 401 || result.status === 403) ? 'refused' : result.kind === 'refused' ? status.state : 'unavailable';
    status.lastError = describePortFailure(result);
  };

  // Heartbeats --------------------------------------------------------------------------------
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let heartbeatInFlight: Promise<void> = Promise.resolve();
  const heartbeat = async () => {
    const facts = options.facts();
    const payload = heartbeatOf(facts, baseline, { bootId, seq: ++seq, intervalS, sentAt: options.now().toISOString() });
    let result: PortResult<{ heartbeatIntervalS: number; directives: Record<string, unknown> }>;
    try {
      result = await options.port.heartbeat(payload);
    } catch (error) {
      result = { kind: 'unavailable', message: (error as Error).message };
    }
    if (result.kind !== 'ok') { fail(result); return; }
    baseline = facts;
    status.state = 'ok';
    status.lastError = null;
    status.heartbeats += 1;
    status.lastHeartbeatAt = options.now().toISOString();
    if (Number.isFinite(result.value.heartbeatIntervalS) && result.value.heartbeatIntervalS > 0) intervalS = result.value.heartbeatIntervalS;
    status.intervalS = intervalS;
    try {
      facts.onStored?.();
      options.onDirectives(result.value.directives ?? {});
    } catch (error) {
      status.lastError = `directive handling failed: ${(error as Error).message}`;
    }
  };
  const scheduleHeartbeat = (delayMs: number) => {
    if (stopped) return;
    heartbeatTimer = setTimeout(() => {
      heartbeatInFlight = heartbeat().catch(() => undefined).finally(() => {
        // ±10 %: a fleet restarted together does not stay in step.
        scheduleHeartbeat(intervalS * 1000 * (0.9 + 0.2 * options.random()));
      });
    }, delayMs);
  };
  // Soon, so the server sees the host at once, but after a short window so CPU and rates mean something.
  scheduleHeartbeat(Math.min(2000, intervalS * 1000));

  // Alert upload ------------------------------------------------------------------------------
  let wakeUp: (() => void) | undefined;
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(() => { wakeUp = undefined; resolve(); }, ms);
    wakeUp = () => { clearTimeout(timer); wakeUp = undefined; resolve(); };
  });
  const upload = async (records: ReturnType<Spool['peek']>): Promise<PortResult<{ acknowledged: string[] }>> => {
    try {
      return await options.port.uploadAlerts({ alerts: records.filter(isAlertRecord).map(toUpload) });
    } catch (error) {
      return { kind: 'unavailable', message: (error as Error).message };
    }
  };
  const uploadLoop = async () => {
    let failures = 0;
    while (!stopped) {
      const records = options.spool.peek(options.uploadBatch);
      if (records.length === 0) { await sleep(options.uploadIntervalMs); continue; }
      // A line that is not an alert (damage) is acknowledged locally and counted, never sent.
      const junk = records.filter((r) => !isAlertRecord(r)).map((r) => r.id);
      status.rejected += junk.length;
      const alerts = records.filter(isAlertRecord);
      const result = alerts.length === 0 ? { kind: 'ok' as const, value: { acknowledged: [] } } : await upload(alerts);
      if (result.kind === 'ok') {
        status.uploaded += options.spool.acknowledge([...result.value.acknowledged, ...junk]);
        failures = 0;
        if (result.value.acknowledged.length < alerts.length) await sleep(options.uploadIntervalMs);
        continue;
      }
      fail(result);
      if (result.kind === 'refused' && result.status !== 401 && result.status !== 403) {
        // The batch holds something this server will never take: send one by one, drop only what is refused alone.
        const done = await uploadOneByOne(alerts, junk);
        if (done) { failures = 0; continue; }
      }
      failures += 1;
      const ceiling = Math.min(maxBackoffMs, options.uploadIntervalMs * 2 ** Math.min(failures, 16));
      await sleep(ceiling * (0.5 + 0.5 * options.random()));
    }
  };
  const uploadOneByOne = async (alerts: ReturnType<Spool['peek']>, junk: string[]): Promise<boolean> => {
    const settled: string[] = [...junk];
    for (const record of alerts) {
      const result = await upload([record]);
      if (result.kind === 'ok') { settled.push(...result.value.acknowledged); continue; }
      if (result.kind === 'refused' && result.status !== 401 && result.status !== 403) {
        status.rejected += 1;
        status.lastError = `alert ${record.id} refused and dropped: ${describePortFailure(result)}`;
        settled.push(record.id);
        continue;
      }
      fail(result);
      options.spool.acknowledge(settled);
      return false;
    }
    status.uploaded += options.spool.acknowledge(settled) - junk.length;
    return true;
  };
  const uploading = uploadLoop().catch((error: unknown) => { status.lastError = `upload loop ended: ${(error as Error).message}`; });

  return {
    status: () => ({ ...status }),
    wake: () => wakeUp?.(),
    async stop() {
      stopped = true;
      clearTimeout(heartbeatTimer);
      wakeUp?.();
      // In-flight calls may be waiting on a dead server: what they carry stays in the spool anyway.
      await Promise.race([Promise.all([uploading, heartbeatInFlight]), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    },
  };
}

export function heartbeatOf(facts: AgentFacts, baseline: AgentFacts | undefined, meta: { bootId: string; seq: number; intervalS: number; sentAt: string }): HeartbeatPayload {
  const elapsedMs = Math.max(1, facts.atMs - (baseline?.atMs ?? facts.atMs - meta.intervalS * 1000));
  const before = new Map((baseline?.sensors ?? []).map((s) => [s.name, s]));
  const alertCounts: Record<string, number> = {};
  for (const [rule, count] of Object.entries(facts.alertsByRule)) {
    const delta = count - (baseline?.alertsByRule[rule] ?? 0);
    if (delta > 0) alertCounts[rule] = delta;
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    bootId: meta.bootId,
    seq: meta.seq,
    sentAt: meta.sentAt,
    intervalS: meta.intervalS,
    versions: { agent: facts.agentVersion, content: facts.contentVersion },
    ring: facts.ring,
    tags: facts.tags.slice(0, 64),
    sensors: facts.sensors.slice(0, 32).map((s) => ({
      name: s.name.slice(0, 64),
      state: s.state,
      eventsPerS: round(Math.max(0, s.events - (before.get(s.name)?.events ?? 0)) * 1000 / elapsedMs),
      drops: Math.max(0, s.drops - (before.get(s.name)?.drops ?? 0)),
    })),
    cpuPct: round(Math.max(0, facts.cpuUs - (baseline?.cpuUs ?? 0)) / 1000 / (baseline ? elapsedMs : Math.max(1, facts.atMs)) * 100),
    rssMb: facts.rssMb,
    engineCrashes: Math.max(0, facts.crashes - (baseline?.crashes ?? 0)),
    engineRestarts: Math.max(0, facts.restarts - (baseline?.restarts ?? 0)),
    quarantinedRules: facts.quarantinedRules.slice(0, 10_000),
    alertCounts,
    extensions: facts.extensions,
  };
}
