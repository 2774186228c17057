// `ring3 server run`: the control plane in the foreground until SIGINT or SIGTERM. Logs are pino
// JSON lines on standard output; the first-start admin token goes to standard error, once.
import { readFileSync } from 'node:fs';
import { pino, type DestinationStream, type Level } from 'pino';
import { startServer } from '../../server/index.ts';
import type { CommandContext } from '../context.ts';
import { serverDataDir } from './connection.ts';

export type ServerRunOptions = {
  db?: string; host: string; port: string; tlsCert?: string; tlsKey?: string; adminTokenFile?: string; metricsTokenFile?: string; metricsPublic?: boolean;
  dataDir?: string; logLevel: string; logRequests?: boolean; heartbeatInterval: string;
};

const levels: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

export async function runServerCommand(options: ServerRunOptions, context: CommandContext, until: Promise<unknown> = signalled()): Promise<number> {
  const problems: string[] = [];
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`--port: expected 0-65535, got "${options.port}"`);
  const interval = Number(options.heartbeatInterval);
  if (!Number.isFinite(interval) || interval < 1 || interval > 3600) problems.push(`--heartbeat-interval: expected 1-3600 seconds, got "${options.heartbeatInterval}"`);
  if (!levels.includes(options.logLevel as Level)) problems.push(`--log-level: expected one of ${levels.join(', ')}, got "${options.logLevel}"`);
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) problems.push('--tls-cert and --tls-key go together: give both for https, or neither');
  const adminToken = tokenFrom(context.env.RING3_ADMIN_TOKEN, options.adminTokenFile, '--admin-token-file', problems);
  if (adminToken !== undefined && adminToken.length < 24) problems.push('the configured admin token is shorter than 24 characters; use a long random one');
  const metricsToken = tokenFrom(context.env.RING3_METRICS_TOKEN, options.metricsTokenFile, '--metrics-token-file', problems);
  if (metricsToken !== undefined && metricsToken.length < 24) problems.push('the metrics token is shorter than 24 characters; use a long random one');
  if (metricsToken !== undefined && options.metricsPublic === true) problems.push('--metrics-public serves /metrics to anyone: drop it, or the metrics token');
  if (problems.length > 0) {
    context.stderr.write(problems.map((p) => `${p}\n`).join(''));
    return 2;
  }
  const logger = pino({ level: options.logLevel, base: { service: 'ring3-server' } }, context.stdout as DestinationStream);
  const dataDir = serverDataDir(context, options.dataDir);
  const started = await startServer({
    dataDir, host: options.host, port,
    ...(options.db !== undefined && { db: options.db }),
    ...(options.tlsCert !== undefined && options.tlsKey !== undefined && { tls: { certFile: options.tlsCert, keyFile: options.tlsKey } }),
    ...(adminToken !== undefined && { adminToken }),
    ...(metricsToken !== undefined && { metricsToken }),
    ...(options.metricsPublic === true && { metricsPublic: true }),
    logRequests: options.logRequests ?? false,
    settings: { heartbeatIntervalS: interval, silentAfterS: interval * 3 },
  }, { now: () => context.now().getTime(), logger });
  if (started.kind === 'error') {
    context.stderr.write(`ring3 server: ${started.message}\n`);
    return 1;
  }
  const { server } = started;
  context.stderr.write(`ring3 server: listening on ${server.url} (database ${server.dbLabel})\n`);
  if (server.createdAdminToken !== undefined) {
    context.stderr.write(`ring3 server: first start; admin token (also in ${server.adminTokenFile}, mode 600):\n  ${server.createdAdminToken}\n`);
  }
  await until;
  context.stderr.write('ring3 server: stopping\n');
  await server.stop();
  return 0;
}

function signalled(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** A token from its file when one is given (a file that cannot be read is a problem, named by its
 * flag), else from the environment. */
function tokenFrom(fromEnv: string | undefined, file: string | undefined, flag: string, problems: string[]): string | undefined {
  if (file === undefined) return fromEnv;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    problems.push(`${flag}: ${(error as Error).message}`);
    return fromEnv;
  }
}
