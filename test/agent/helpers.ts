// Shared set-up for agent tests: temp dirs, a quiet environment, replay files, configs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { defaultAgentConfig, type AgentConfig, type AgentEnv } from '../../src/agent/index.ts';

export const starterRules = new URL('../../content/starter/rules/', import.meta.url).pathname;

const dirs: string[] = [];
export function tempDir(prefix = 'ring3-agent-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export type LogLine = { level: string; message: string; fields?: Record<string, unknown> };

export function testEnv(extra: Partial<AgentEnv> = {}): AgentEnv & { logs: LogLine[] } {
  const logs: LogLine[] = [];
  return {
    now: () => new Date(), clock: () => performance.now(), random: Math.random, newId: randomUUID,
    stdout: { write: () => true }, log: (level, message, fields) => { logs.push({ level, message, ...(fields ? { fields } : {}) }); },
    isRoot: process.getuid?.() === 0, agentVersion: '0.1.0', engineVersion: '0.1.0', logs, ...extra,
  };
}

/** A config with only a replay sensor (and the state in a temp dir). */
export function replayConfig(stateDir: string, files: string[], extra: (c: AgentConfig) => AgentConfig = (c) => c): AgentConfig {
  const base = defaultAgentConfig({ stateDir, hostName: 'test-host' });
  return extra({ ...base, sensors: { hostName: 'test-host', replay: { files } }, status: { ...base.status, intervalS: 0.2 }, alerts: { ...base.alerts, output: null } });
}

let pid = 1000;
export function processEvent(fields: Record<string, unknown>): Record<string, unknown> {
  pid += 1;
  return { kind: 'process_creation', '@timestamp': new Date().toISOString(), host: { name: 'test-host' }, missing: [], ProcessId: pid, ProcessGuid: `guid-${pid}`, ...fields };
}

export function writeLines(dir: string, name: string, lines: (Record<string, unknown> | string)[]): string {
  const file = join(dir, name);
  writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

export function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) { resolve(); return; }
      if (Date.now() - start > timeoutMs) { reject(new Error(`timed out waiting for ${what}`)); return; }
      setTimeout(poll, 20);
    };
    poll();
  });
}
