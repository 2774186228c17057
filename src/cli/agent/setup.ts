// What every `ring3 agent …` command needs: the config (file or defaults), where the agent keeps its
// state, and the control-plane client built from the stored credential.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { pino, type DestinationStream, type Logger } from 'pino';
import {
  credentialFile, defaultAgentConfig, formatAgentDiagnostic, parseAgentConfig, readCredential,
  type AgentConfig, type AgentEnv, type AgentLog, type AgentRunOptions, type ConfigDefaults, type ControlPlanePort,
} from '../../agent/index.ts';
import { currentEngineVersion } from '../../content/index.ts';
// The client alone: the server's index would load its HTTP and storage libraries into the daemon.
import { createAgentClient } from '../../server/client/index.ts';
import type { CommandContext } from '../context.ts';

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function agentDefaults(context: Pick<CommandContext, 'env' | 'cwd'>): ConfigDefaults {
  const home = context.env.RING3_HOME ?? join(context.env.HOME ?? context.cwd, '.ring3');
  return { stateDir: isRoot() && context.env.RING3_HOME === undefined ? '/var/lib/ring3/agent' : join(home, 'agent'), hostName: hostname() };
}

/** The config from `--config` (or $RING3_AGENT_CONFIG), else the defaults; problems are printed. */
export function loadConfig(file: string | undefined, context: CommandContext, defaults = agentDefaults(context)): AgentConfig | undefined {
  const path = file ?? context.env.RING3_AGENT_CONFIG;
  if (path === undefined) return defaultAgentConfig(defaults);
  const full = resolve(context.cwd, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (error) {
    context.stderr.write(`${full}: cannot read the agent config: ${(error as Error).message}\n`);
    return undefined;
  }
  const parsed = parseAgentConfig(text, full, defaults);
  if (!parsed.ok) {
    context.stderr.write(`ring3 agent: the config has ${parsed.diagnostics.length} problem(s):\n${parsed.diagnostics.map((d) => `  ${formatAgentDiagnostic(d)}\n`).join('')}`);
    return undefined;
  }
  return parsed.value;
}

export type ControlPlaneSetup = { kind: 'none' } | { kind: 'ok'; controlPlane: NonNullable<AgentRunOptions['controlPlane']> } | { kind: 'error'; message: string };

/** The server client, when the agent was enrolled (its credential is in the state directory). */
export function controlPlaneOf(config: AgentConfig): ControlPlaneSetup {
  const stored = readCredential(credentialFile(config.stateDir));
  if (!stored.ok) return { kind: 'error', message: stored.diagnostics.map(formatAgentDiagnostic).join('; ') };
  const credential = stored.value;
  if (credential === undefined) return { kind: 'none' };
  const url = config.server.url ?? credential.url;
  const caFile = config.server.ca ?? credential.ca;
  let ca: Buffer | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile);
    } catch (error) {
      return { kind: 'error', message: `server.ca: cannot read ${caFile}: ${(error as Error).message}` };
    }
  }
  // The agent backs off on its own schedule (and keeps alerts in its spool): one quick retry is enough here.
  const port: ControlPlanePort = createAgentClient({
    baseUrl: url, credential: credential.credential, timeoutMs: 10_000,
    retry: { attempts: 2, baseDelayMs: 250, maxDelayMs: 1000 },
    ...(ca === undefined ? {} : { ca }),
  });
  return { kind: 'ok', controlPlane: { port, url, hostId: credential.hostId, intervalS: credential.heartbeatIntervalS } };
}

export function agentLogger(context: CommandContext, level = 'info'): Logger {
  return pino({ level, base: { service: 'ring3-agent' } }, context.stderr as DestinationStream);
}

export function agentEnv(context: CommandContext, logger: Logger): AgentEnv {
  const log: AgentLog = (lvl, message, fields) => logger[lvl](fields ?? {}, message);
  const version = currentEngineVersion();
  return {
    now: context.now, clock: () => performance.now(), random: Math.random, newId: randomUUID,
    stdout: context.stdout as AgentEnv['stdout'], log, isRoot: isRoot(), agentVersion: version, engineVersion: version,
  };
}
