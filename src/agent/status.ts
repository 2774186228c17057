// What `ring3 agent status` shows: the running agent writes a snapshot to its status file (atomically,
// every few seconds and at exit); the status command reads it and tells whether the agent is alive.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SensorStatus } from '../sensors/index.ts';
import type { SpoolStats } from './spool.ts';
import type { RuleCost } from './rule-budget.ts';

export type SensorView = SensorStatus & { eventsPerS: number };

export type AgentStatus = {
  state: 'starting' | 'running' | 'stopping' | 'stopped';
  pid: number;
  agentVersion: string;
  host: { name: string; tags: string[] };
  startedAt: string;
  updatedAt: string;
  /** How often the snapshot is rewritten; older than three of these means the agent is gone. */
  intervalS: number;
  root: boolean;
  cpuPct: number;
  rssMb: number;
  /** The main thread's V8 heap and memory held outside it (buffers, wasm); the rest of rssMb is the sensor workers' isolates and Node itself. */
  memory: { heapUsedMb: number; heapTotalMb: number; externalMb: number };
  sensors: SensorView[];
  events: { total: number; perS: number; byKind: Record<string, number>; errors: number; sinkErrors: number };
  rules: { loaded: number; detections: number; correlations: number; rejected: number; quarantined: { ruleId: string; reason: string }[]; costliest: RuleCost[] };
  content: { source: 'rules' | 'store'; label: string; version: string | null; pack: string | null; store?: Record<string, unknown>; startDecision?: unknown; lastUpdate?: unknown };
  alerts: { total: number; byRule: Record<string, number>; outputDrops: number; spool: SpoolStats };
  prevention: { enabled: boolean; allowed: number; denied: number };
  server: { url: string | null; hostId: string | null; state: 'off' | 'connecting' | 'ok' | 'unavailable' | 'refused'; lastHeartbeatAt: string | null; lastError: string | null; uploaded: number; rejected: number; ring: number | null; directive: unknown };
  runs: { restarts: number; crashes: number };
  internalErrors: number;
};

/** CPU (share of one core, percent) and RSS since the previous call. */
export function createResourceSampler(clock: () => number): () => { cpuPct: number; rssMb: number; memory: AgentStatus['memory'] } {
  let lastCpu = process.cpuUsage();
  let lastAt = clock();
  return () => {
    const cpu = process.cpuUsage();
    const at = clock();
    const usedUs = cpu.user - lastCpu.user + cpu.system - lastCpu.system;
    const elapsedMs = Math.max(1, at - lastAt);
    lastCpu = cpu;
    lastAt = at;
    const m = process.memoryUsage();
    const mb = (bytes: number) => round(bytes / 1024 / 1024);
    return { cpuPct: round((usedUs / 1000 / elapsedMs) * 100), rssMb: mb(m.rss), memory: { heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external) } };
  };
}

/** Events per second per sensor, from the difference of counters between two snapshots. */
export function createRateMeter(clock: () => number): (key: string, total: number) => number {
  const last = new Map<string, { total: number; at: number; rate: number }>();
  return (key, total) => {
    const at = clock();
    const previous = last.get(key);
    if (!previous) { last.set(key, { total, at, rate: 0 }); return 0; }
    if (at - previous.at < 200) return previous.rate;
    const rate = round(((total - previous.total) * 1000) / (at - previous.at));
    last.set(key, { total, at, rate });
    return rate;
  };
}

export function writeStatusFile(file: string, status: AgentStatus): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(status, null, 1)}\n`, { mode: 0o644 });
  renameSync(tmp, file);
}

export type StatusRead = { kind: 'ok'; status: AgentStatus; alive: boolean; ageS: number } | { kind: 'missing'; message: string };

export function readStatusFile(file: string, now: Date): StatusRead {
  let status: AgentStatus;
  try {
    status = JSON.parse(readFileSync(file, 'utf8')) as AgentStatus;
  } catch (error) {
    return { kind: 'missing', message: `no agent status at ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); is the agent running with this config?` };
  }
  const ageS = Math.max(0, (now.getTime() - Date.parse(status.updatedAt)) / 1000);
  const alive = status.state !== 'stopped' && ageS <= Math.max(3 * status.intervalS, 2) && pidAlive(status.pid);
  return { kind: 'ok', status, alive, ageS: round(ageS) };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
