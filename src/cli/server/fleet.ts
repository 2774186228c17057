// `ring3 fleet ls | show | revoke`: the enrolled hosts, their state and versions.
import type { HostState, HostSummary } from '../../server/index.ts';
import { describeFailure } from '../../server/index.ts';
import type { CommandContext } from '../context.ts';
import { connect, type ConnectionOptions } from './connection.ts';
import { ago, formatTable } from './table.ts';

export type FleetListOptions = ConnectionOptions & { json?: boolean; state?: string; tag?: string; limit?: string; all?: boolean };

const states: readonly HostState[] = ['online', 'silent', 'never-seen', 'revoked'];

export async function runFleetList(options: FleetListOptions, context: CommandContext): Promise<number> {
  if (options.state !== undefined && !states.includes(options.state as HostState)) {
    context.stderr.write(`--state: expected one of ${states.join(', ')}, got "${options.state}"\n`);
    return 2;
  }
  const limit = parseLimit(options.limit, context);
  if (limit === undefined) return 2;
  const connection = connect(options, context);
  if (connection.kind === 'error') { context.stderr.write(`${connection.message}\n`); return 2; }
  const hosts: HostSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await connection.client.listHosts({
      limit: Math.min(limit - hosts.length, 1000), ...(cursor && { cursor }),
      ...(options.state !== undefined && { state: options.state as HostState }), ...(options.tag !== undefined && { tag: options.tag }),
    });
    if (page.kind !== 'ok') { context.stderr.write(`${describeFailure(page)}\n`); return 1; }
    hosts.push(...page.value.items);
    cursor = page.value.nextCursor ?? undefined;
  } while (cursor !== undefined && hosts.length < limit);
  if (options.json) {
    for (const host of hosts) context.stdout.write(`${JSON.stringify(host)}\n`);
    return 0;
  }
  const now = context.now();
  context.stdout.write(formatTable(
    ['HOST', 'ID', 'STATE', 'LAST SEEN', 'AGENT', 'CONTENT', 'RING', 'CPU%', 'RSS MB', 'CRASHES', 'QUARANTINED', 'TAGS'],
    hosts.map((h) => [
      h.hostname, h.id, h.state, ago(h.lastSeenAt, now), h.agentVersion ?? '-', h.contentVersion ?? '-', h.ring === null ? '-' : String(h.ring),
      h.cpuPct === null ? '-' : h.cpuPct.toFixed(1), h.rssMb === null ? '-' : h.rssMb.toFixed(0), h.engineCrashes === null ? '-' : String(h.engineCrashes),
      String(h.quarantinedRules.length), h.tags.join(',') || '-',
    ]),
  ));
  const more = cursor !== undefined ? ` (more: raise --limit)` : '';
  context.stderr.write(`${hosts.length} host${hosts.length === 1 ? '' : 's'}${more}\n`);
  return 0;
}

export async function runFleetShow(id: string, options: ConnectionOptions, context: CommandContext): Promise<number> {
  const connection = connect(options, context);
  if (connection.kind === 'error') { context.stderr.write(`${connection.message}\n`); return 2; }
  const host = await connection.client.getHost(id);
  if (host.kind !== 'ok') { context.stderr.write(`${describeFailure(host)}\n`); return 1; }
  context.stdout.write(`${JSON.stringify(host.value, null, 2)}\n`);
  return 0;
}

export async function runFleetRevoke(id: string, options: ConnectionOptions, context: CommandContext): Promise<number> {
  const connection = connect(options, context);
  if (connection.kind === 'error') { context.stderr.write(`${connection.message}\n`); return 2; }
  const result = await connection.client.revokeHost(id);
  if (result.kind !== 'ok') { context.stderr.write(`${describeFailure(result)}\n`); return 1; }
  context.stdout.write(result.value.revoked ? `revoked host ${id}: its credential no longer works\n` : `host ${id} was already revoked\n`);
  return 0;
}

export function parseLimit(text: string | undefined, context: CommandContext, fallback = 1000): number | undefined {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    context.stderr.write(`--limit: expected a positive whole number, got "${text}"\n`);
    return undefined;
  }
  return value;
}
