// `ring3 start` (`npm start`): ring3's main job on one machine with no set-up — a server on SQLite in
// a local data directory, a local agent enrolled to it running the starter content, and the address
// of the API printed with the admin token. Runs until SIGINT or SIGTERM, then stops both cleanly.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { pino, type DestinationStream } from 'pino';
import { credentialFile, readCredential, startAgent, writeCredential, formatAgentDiagnostic, type AgentConfig } from '../agent/index.ts';
import { createAdminClient, createAgentClient, describeFailure, enroll, startServer, type RunningServer } from '../server/index.ts';
import { currentEngineVersion } from '../content/index.ts';
import { agentEnv, agentLogger, controlPlaneOf, isRoot, loadConfig } from './agent/setup.ts';
import { signalled } from './agent/run.ts';
import type { CommandContext } from './context.ts';

export type StartOptions = { dataDir?: string; host: string; port: string; heartbeatInterval: string; logLevel: string };

export function registerStartCommand(program: Command, context: CommandContext): void {
  program.command('start')
    .description('run ring3 on this machine: a server (SQLite) and a local agent enrolled to it, until Ctrl-C')
    .option('--data-dir <dir>', 'where the server and agent keep their state (default: $RING3_HOME, else ./.ring3)')
    .option('--host <address>', 'address the API listens on', '127.0.0.1')
    .option('--port <port>', 'API port (0: any free port)', '7300')
    .option('--heartbeat-interval <seconds>', 'how often the agent reports', '15')
    .option('--log-level <level>', 'server and agent log level on standard error', 'warn')
    .action(async (options: StartOptions) => context.setExitCode(await runStart(options, context)));
}

export async function runStart(options: StartOptions, context: CommandContext, until: Promise<unknown> & { dispose?(): void } = signalled()): Promise<number> {
  try {
    return await startAndWait(options, context, until);
  } finally {
    until.dispose?.();
  }
}

async function startAndWait(options: StartOptions, context: CommandContext, until: Promise<unknown>): Promise<number> {
  const port = Number(options.port);
  const interval = Number(options.heartbeatInterval);
  if (!Number.isInteger(port) || port < 0 || port > 65535) { context.stderr.write(`--port: expected 0-65535, got "${options.port}"\n`); return 2; }
  if (!Number.isFinite(interval) || interval < 1 || interval > 3600) { context.stderr.write(`--heartbeat-interval: expected 1-3600 seconds, got "${options.heartbeatInterval}"\n`); return 2; }
  const dataDir = resolve(context.cwd, options.dataDir ?? context.env.RING3_HOME ?? '.ring3');
  const shown = (path: string) => (relative(context.cwd, path).startsWith('..') ? path : relative(context.cwd, path) || '.');

  // 1. The server.
  const serverLogger = pino({ level: options.logLevel, base: { service: 'ring3-server' } }, context.stderr as DestinationStream);
  const started = await startServer({
    dataDir: join(dataDir, 'server'), host: options.host, port,
    settings: { heartbeatIntervalS: interval, silentAfterS: interval * 3 },
  }, { now: () => context.now().getTime(), logger: serverLogger });
  if (started.kind === 'error') {
    context.stderr.write(`ring3 start: the server did not start: ${started.message}${started.code === 'listen' ? ' (another ring3 running? try --port 0)' : ''}\n`);
    return 1;
  }
  const server = started.server;
  const adminToken = started.server.createdAdminToken ?? readToken(server);
  let stopAgent: (() => Promise<void>) | undefined;
  try {
    // 2. The agent's config: <data-dir>/agent.yaml when the user wrote one, else the defaults.
    const agentYaml = join(dataDir, 'agent.yaml');
    const config = loadConfig(existsSync(agentYaml) ? agentYaml : undefined, context, { stateDir: join(dataDir, 'agent'), hostName: hostname() });
    if (!config) return 2;
    const agentConfig: AgentConfig = { ...config, host: { ...config.host, tags: config.host.tags.length > 0 ? config.host.tags : ['local'] }, alerts: { ...config.alerts, output: config.alerts.output === '-' ? join(dataDir, 'alerts.jsonl') : config.alerts.output } };

    // 3. Enrollment, once (again if the server no longer knows the stored credential).
    const enrolled = await ensureEnrolled(agentConfig, server.url, adminToken, context);
    if (enrolled !== undefined) { context.stderr.write(`ring3 start: ${enrolled}\n`); return 1; }
    const cp = controlPlaneOf({ ...agentConfig, server: { ...agentConfig.server, url: server.url } });
    if (cp.kind !== 'ok') { context.stderr.write(`ring3 start: ${cp.kind === 'error' ? cp.message : 'the agent has no credential'}\n`); return 1; }

    // 4. The agent.
    const env = agentEnv(context, agentLogger(context, options.logLevel));
    const agentStarted = await startAgent({ config: agentConfig, controlPlane: cp.controlPlane }, env);
    if (!agentStarted.ok) {
      context.stderr.write(`ring3 start: the agent did not start (step "${agentStarted.step}"):\n${agentStarted.diagnostics.map((d) => `  ${formatAgentDiagnostic(d)}\n`).join('')}`);
      return 1;
    }
    const agent = agentStarted.agent;
    stopAgent = () => agent.stop();
    const status = agent.status();
    const sensors = status.sensors.map((s) => `${s.name} ${s.state}`).join(', ');
    const lines = [
      'ring3 is running (Ctrl-C to stop)',
      `  API          ${server.url}   (GET /healthz; /metrics and /v1/admin with the admin token)`,
      `  admin token  ${adminToken ?? '(not found)'}   (also in ${shown(server.adminTokenFile)})`,
      `  agent        host ${cp.controlPlane.hostId} "${agentConfig.host.name}", content ${status.content.label}, ${status.rules.loaded} rules`,
      `  sensors      ${sensors}`,
      `  alerts       ${agentConfig.alerts.output === null ? 'not written locally' : shown(agentConfig.alerts.output)} (and uploaded to the server)`,
      `  data         ${shown(dataDir)} (SQLite database, agent spool, content store)`,
      '  try          npx ring3 fleet ls --data-dir ' + shown(join(dataDir, 'server')),
      '               npx ring3 alerts ls --data-dir ' + shown(join(dataDir, 'server')),
      '               npx ring3 agent status --status-file ' + shown(agentConfig.status.file),
    ];
    const degraded = status.sensors.filter((s) => s.state !== 'running');
    if (!isRoot() || degraded.length > 0) {
      lines.push(`  note         ${isRoot() ? '' : 'not running as root: '}${degraded.length === 0 ? 'every sensor still runs on its kernel interface' : `degraded: ${degraded.map((s) => `${s.name} (${s.source}; misses ${s.misses.join(', ') || s.reason || 'unknown'})`).join('; ')}`}. ${isRoot() ? '' : 'Run as root for the full kernel interfaces.'}`.trimEnd());
    }
    context.stdout.write(`${lines.join('\n')}\n`);
    await until;
    context.stdout.write('ring3: stopping\n');
    return 0;
  } finally {
    await stopAgent?.().catch((error: unknown) => context.stderr.write(`ring3 start: agent stop: ${(error as Error).message}\n`));
    await server.stop();
  }
}

function readToken(server: RunningServer): string | undefined {
  try {
    return readFileSync(server.adminTokenFile, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Returns a problem, or undefined once the agent holds a credential this server accepts. */
async function ensureEnrolled(config: AgentConfig, url: string, adminToken: string | undefined, context: CommandContext): Promise<string | undefined> {
  const file = credentialFile(config.stateDir);
  const stored = readCredential(file);
  if (stored.ok && stored.value !== undefined) {
    const self = await createAgentClient({ baseUrl: url, credential: stored.value.credential, retry: { attempts: 2, baseDelayMs: 100, maxDelayMs: 500 } }).self();
    if (self.kind === 'ok') {
      if (stored.value.url !== url) writeCredential(file, { ...stored.value, url });
      return undefined;
    }
  }
  if (adminToken === undefined) return 'cannot enroll the local agent: no admin token in the server\'s data directory';
  const admin = createAdminClient({ baseUrl: url, adminToken });
  const token = await admin.createEnrollmentToken({ ttlS: 600, maxUses: 1, note: 'ring3 start: local agent' });
  if (token.kind !== 'ok') return `cannot create an enrollment token: ${describeFailure(token)}`;
  const result = await enroll({ baseUrl: url }, { token: token.value.token, hostname: config.host.name, tags: config.host.tags, agentVersion: currentEngineVersion() });
  if (result.kind !== 'ok') return `cannot enroll the local agent: ${describeFailure(result)}`;
  writeCredential(file, { url, hostId: result.value.hostId, credential: result.value.credential, heartbeatIntervalS: result.value.heartbeatIntervalS, enrolledAt: context.now().toISOString() });
  return undefined;
}
