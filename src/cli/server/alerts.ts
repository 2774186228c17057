// `ring3 alerts ls`: the newest alerts first, filtered by host, rule, level and time.
import { alertLevels, describeFailure, type AlertLevel, type StoredAlert } from '../../server/index.ts';
import type { CommandContext } from '../context.ts';
import { connect, type ConnectionOptions } from './connection.ts';
import { parseLimit } from './fleet.ts';
import { formatTable } from './table.ts';

export type AlertListOptions = ConnectionOptions & { json?: boolean; host?: string; rule?: string; level?: string; since?: string; limit?: string };

export async function runAlertList(options: AlertListOptions, context: CommandContext): Promise<number> {
  if (options.level !== undefined && !alertLevels.includes(options.level as AlertLevel)) {
    context.stderr.write(`--level: expected one of ${alertLevels.join(', ')}, got "${options.level}"\n`);
    return 2;
  }
  const since = options.since === undefined ? undefined : parseSince(options.since, context.now());
  if (since === null) {
    context.stderr.write(`--since: expected an ISO time or a duration like 30m, 12h, 7d; got "${options.since}"\n`);
    return 2;
  }
  const limit = parseLimit(options.limit, context, 100);
  if (limit === undefined) return 2;
  const connection = connect(options, context);
  if (connection.kind === 'error') { context.stderr.write(`${connection.message}\n`); return 2; }
  const alerts: StoredAlert[] = [];
  let cursor: string | undefined;
  do {
    const page = await connection.client.listAlerts({
      limit: Math.min(limit - alerts.length, 1000), ...(cursor && { cursor }), ...(since && { since }),
      ...(options.host !== undefined && { hostId: options.host }), ...(options.rule !== undefined && { ruleId: options.rule }),
      ...(options.level !== undefined && { level: options.level }),
    });
    if (page.kind !== 'ok') { context.stderr.write(`${describeFailure(page)}\n`); return 1; }
    alerts.push(...page.value.items);
    cursor = page.value.nextCursor ?? undefined;
  } while (cursor !== undefined && alerts.length < limit);
  if (options.json) {
    for (const alert of alerts) context.stdout.write(`${JSON.stringify(alert)}\n`);
    return 0;
  }
  context.stdout.write(formatTable(
    ['TIME', 'HOST', 'LEVEL', 'RULE', 'TITLE', 'CONTENT', 'ALERT ID'],
    alerts.map((a) => [a.time, a.hostname, a.level, a.ruleId, a.ruleTitle, a.contentVersion ?? '-', a.id]),
  ));
  context.stderr.write(`${alerts.length} alert${alerts.length === 1 ? '' : 's'}${cursor !== undefined ? ' (more: raise --limit)' : ''}\n`);
  return 0;
}

/** An ISO time, or a duration back from now ("30m", "12h", "7d"); null when it is neither. */
export function parseSince(text: string, now: Date): string | null {
  const duration = /^(\d+)([smhd])$/.exec(text);
  if (duration !== null) {
    const unit = { s: 1, m: 60, h: 3600, d: 86400 }[duration[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(duration[1]) * unit * 1000).toISOString();
  }
  const time = Date.parse(text);
  return Number.isFinite(time) && /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(time).toISOString() : null;
}
