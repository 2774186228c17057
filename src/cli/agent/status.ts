// `ring3 agent status`: reads the status file the running agent rewrites every few seconds.
import { resolve } from 'node:path';
import { readStatusFile, type AgentStatus } from '../../agent/index.ts';
import type { CommandContext } from '../context.ts';
import { loadConfig } from './setup.ts';

export function runAgentStatus(options: { config?: string; statusFile?: string; json?: boolean }, context: CommandContext): number {
  let file = options.statusFile === undefined ? undefined : resolve(context.cwd, options.statusFile);
  if (file === undefined) {
    const config = loadConfig(options.config, context);
    if (!config) return 2;
    file = config.status.file;
  }
  const read = readStatusFile(file, context.now());
  if (read.kind === 'missing') {
    context.stderr.write(`ring3 agent status: ${read.message}\n`);
    return 1;
  }
  if (options.json) {
    context.stdout.write(`${JSON.stringify({ alive: read.alive, ageS: read.ageS, ...read.status })}\n`);
    return read.alive ? 0 : 3;
  }
  context.stdout.write(formatStatus(read.status, read.alive, read.ageS));
  return read.alive ? 0 : 3;
}

export function formatStatus(s: AgentStatus, alive: boolean, ageS: number): string {
  const lines: string[] = [];
  const state = alive ? s.state : `not running (last seen ${ageS}s ago, state ${s.state})`;
  lines.push(`agent     ${state}  pid ${s.pid}  version ${s.agentVersion}  host ${s.host.name}${s.host.tags.length ? ` [${s.host.tags.join(', ')}]` : ''}${s.root ? '' : '  (not root)'}`);
  lines.push(`resources cpu ${s.cpuPct}% of a core  rss ${s.rssMb} MB  since ${s.startedAt}  restarts ${s.runs.restarts}  unclean previous stop ${s.runs.crashes}`);
  lines.push(`content   ${s.content.label} (${s.content.source})${s.content.startDecision ? `  start: ${JSON.stringify(s.content.startDecision)}` : ''}`);
  lines.push(`rules     ${s.rules.loaded} loaded (${s.rules.detections} detections, ${s.rules.correlations} correlations), ${s.rules.rejected} rejected, ${s.rules.quarantined.length} quarantined`);
  for (const q of s.rules.quarantined) lines.push(`          quarantined ${q.ruleId}: ${q.reason}`);
  lines.push(`events    ${s.events.total} total, ${s.events.perS}/s, ${s.events.errors} errors`);
  lines.push('sensors');
  const rows = s.sensors.map((x) => [x.name, x.state, x.source, `${x.eventsPerS}/s`, String(x.events), String(x.drops), x.reason ?? (x.misses.length ? `misses: ${x.misses.join('; ')}` : '')]);
  lines.push(...table([['  name', 'state', 'source', 'rate', 'events', 'drops', 'note'], ...rows.map((r) => [`  ${r[0]}`, ...r.slice(1)])]));
  const sp = s.alerts.spool;
  lines.push(`alerts    ${s.alerts.total} raised; spool ${sp.pending} pending (${Math.round(sp.bytes / 1024)} KiB), ${sp.evicted} evicted, ${sp.acknowledged} acknowledged`);
  const top = Object.entries(s.alerts.byRule).sort((a, b) => b[1] - a[1]).slice(0, 5);
  for (const [rule, n] of top) lines.push(`          ${n}  ${rule}`);
  lines.push(`server    ${s.server.url ?? 'none (not enrolled)'}${s.server.url ? `  ${s.server.state}  last heartbeat ${s.server.lastHeartbeatAt ?? 'never'}  uploaded ${s.server.uploaded}${s.server.lastError ? `  (${s.server.lastError})` : ''}` : ''}`);
  if (s.prevention.enabled) lines.push(`prevention exec verdicts: ${s.prevention.allowed} allowed, ${s.prevention.denied} denied`);
  if (s.internalErrors > 0) lines.push(`errors    ${s.internalErrors} internal errors (see the agent log)`);
  return `${lines.join('\n')}\n`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}
