// The real `ring3 agent run` for bench:sensors: bin/ring3.js as an operator starts it (it re-executes
// itself, same pid, with the agent's V8 flags and Node's compile cache), real sensors and real rules,
// no server. Ready when its status file says running.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/ring3.js', import.meta.url));

export type AgentStatusView = { state: string; rssMb: number; memory?: { heapUsedMb: number; heapTotalMb: number; externalMb: number }; rules: { loaded: number }; sensors: { name: string; state: string; drops: number; events: number; counters: Record<string, number> }[] };

export type RealAgent = { pid: number; child: ChildProcess; status(): AgentStatusView; stop(): Promise<void> };

export type RealAgentOptions = {
  dir: string;
  rules: string;
  moreRules?: string[];
  /** The `sensors` part of the agent config, as YAML flow text; the agent's defaults when absent. */
  sensorsYaml?: string;
  /** NODE_COMPILE_CACHE for the agent; null turns Node's compile cache off. */
  compileCache: string | null;
};

export async function startRealAgent(o: RealAgentOptions): Promise<RealAgent> {
  mkdirSync(o.dir, { recursive: true });
  const config = join(o.dir, 'agent.yaml');
  const statusFile = join(o.dir, 'state', 'status.json');
  writeFileSync(config, `stateDir: ${join(o.dir, 'state')}\nstatus: { intervalS: 1 }\n${o.sensorsYaml === undefined ? '' : `sensors: ${o.sensorsYaml}\n`}`);
  const { NODE_COMPILE_CACHE: _cache, NODE_DISABLE_COMPILE_CACHE: _off, NODE_OPTIONS: _options, ...base } = process.env;
  const env = o.compileCache === null ? { ...base, NODE_DISABLE_COMPILE_CACHE: '1' } : { ...base, NODE_COMPILE_CACHE: o.compileCache };
  // BENCH_AGENT_NODE_FLAGS: node flags before bin/ring3.js (the launcher keeps a flag given there).
  const flags = (process.env.BENCH_AGENT_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
  const child = spawn(process.execPath, [...flags, bin, 'agent', 'run', '--config', config, '--rules', o.rules, ...(o.moreRules ?? []), '--alerts', join(o.dir, 'alerts.jsonl'), '--no-server', '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'inherit'], env,
  });
  const status = () => JSON.parse(readFileSync(statusFile, 'utf8')) as AgentStatusView;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ring3 agent run exited with ${child.exitCode} before it ran`);
    if (Date.now() - started > 60_000) throw new Error('ring3 agent run did not report running within 60 s');
    try {
      if (existsSync(statusFile) && status().state === 'running') break;
    } catch {
      // The file is replaced atomically; a read between two writes just waits for the next one.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!, child, status,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
