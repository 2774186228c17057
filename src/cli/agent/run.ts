// `ring3 agent run`: the daemon in the foreground until SIGINT or SIGTERM (or, with --until-replayed,
// until replay sensors have read their files). Logs are pino JSON lines on standard error; alerts go
// to standard output unless --alerts says otherwise.
import { resolve } from 'node:path';
import { formatAgentDiagnostic, startAgent, type RunningAgent } from '../../agent/index.ts';
import type { CommandContext } from '../context.ts';
import { agentEnv, agentLogger, controlPlaneOf, loadConfig } from './setup.ts';

export type AgentRunCliOptions = { config?: string; rules?: string[]; alerts?: string; eventsOut?: string; server?: boolean; untilReplayed?: boolean; logLevel: string };

export async function runAgentCommand(options: AgentRunCliOptions, context: CommandContext, until: Promise<unknown> & { dispose?(): void } = signalled()): Promise<number> {
  try {
    return await runAgentUntil(options, context, until);
  } finally {
    until.dispose?.();
  }
}

async function runAgentUntil(options: AgentRunCliOptions, context: CommandContext, until: Promise<unknown>): Promise<number> {
  const config = loadConfig(options.config, context);
  if (!config) return 2;
  const logger = agentLogger(context, options.logLevel);
  const env = agentEnv(context, logger);
  const cp = options.server === false ? { kind: 'none' as const } : controlPlaneOf(config);
  if (cp.kind === 'error') {
    context.stderr.write(`ring3 agent: ${cp.message}\n`);
    return 2;
  }
  const alerts = options.alerts === undefined ? undefined : options.alerts === '-' ? '-' : options.alerts === 'none' ? null : resolve(context.cwd, options.alerts);
  const started = await startAgent({
    config,
    ...(options.rules && options.rules.length > 0 ? { rules: options.rules.map((r) => resolve(context.cwd, r)) } : {}),
    ...(alerts === undefined ? {} : { alertsOut: alerts }),
    ...(options.eventsOut === undefined ? {} : { eventsOut: options.eventsOut === '-' ? '-' : resolve(context.cwd, options.eventsOut) }),
    ...(cp.kind === 'ok' ? { controlPlane: cp.controlPlane } : {}),
  }, env);
  if (!started.ok) {
    context.stderr.write(`ring3 agent: start-up failed at step "${started.step}":\n${started.diagnostics.map((d) => `  ${formatAgentDiagnostic(d)}\n`).join('')}`);
    return 1;
  }
  const { agent } = started;
  const detach = lastResort(agent);
  try {
    await Promise.race([until, ...(options.untilReplayed ? [agent.replayDone()] : [])]);
  } finally {
    logger.info('stopping');
    await agent.stop();
    detach();
  }
  return 0;
}

/** Nothing from outside may end the agent: an error that escaped everything else is counted and logged. */
function lastResort(agent: RunningAgent): () => void {
  const onError = (error: unknown) => agent.internalError(error);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return () => {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  };
}

/** Resolves on the first SIGINT or SIGTERM; the handlers go away once the command is done. */
export function signalled(): Promise<string> & { dispose(): void } {
  let stop: (signal: string) => void = () => undefined;
  const dispose = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
  const promise = new Promise<string>((resolveSignal) => {
    stop = (signal: string) => { dispose(); resolveSignal(signal); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return Object.assign(promise, { dispose });
}
