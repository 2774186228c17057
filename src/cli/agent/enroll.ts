// `ring3 agent enroll URL TOKEN`: trades an enrollment token for this agent's own credential and
// stores it (mode 600) in the agent's state directory, where `agent run` finds it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { credentialFile, writeCredential } from '../../agent/index.ts';
import { describeFailure, enroll } from '../../server/client/index.ts';
import type { CommandContext } from '../context.ts';
import { agentEnv, agentLogger, loadConfig } from './setup.ts';

export type EnrollCliOptions = { config?: string; tag?: string[]; ca?: string; hostname?: string };

export async function runAgentEnroll(url: string, token: string, options: EnrollCliOptions, context: CommandContext): Promise<number> {
  const config = loadConfig(options.config, context);
  if (!config) return 2;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    context.stderr.write(`ring3 agent enroll: "${url}" is not an http(s) URL\n`);
    return 2;
  }
  const caFile = options.ca === undefined ? config.server.ca : resolve(context.cwd, options.ca);
  let ca: Buffer | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile);
    } catch (error) {
      context.stderr.write(`ring3 agent enroll: --ca: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const tags = [...new Set([...config.host.tags, ...(options.tag ?? [])])];
  const env = agentEnv(context, agentLogger(context, 'silent'));
  const result = await enroll({ baseUrl: url, timeoutMs: 15_000, ...(ca === undefined ? {} : { ca }) }, {
    token, hostname: options.hostname ?? config.host.name, tags, agentVersion: env.agentVersion,
  });
  if (result.kind !== 'ok') {
    context.stderr.write(`ring3 agent enroll: ${describeFailure(result)}\n`);
    return 1;
  }
  const file = credentialFile(config.stateDir);
  writeCredential(file, {
    url, hostId: result.value.hostId, credential: result.value.credential, heartbeatIntervalS: result.value.heartbeatIntervalS,
    enrolledAt: context.now().toISOString(), ...(caFile === undefined ? {} : { ca: caFile }),
  });
  context.stdout.write(`enrolled as host ${result.value.hostId} with ${url}; credential stored in ${file}\n`);
  return 0;
}
