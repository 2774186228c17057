// `ring3 server token create | ls | revoke`: enrollment tokens, which an agent trades for its own
// credential with `ring3 agent enroll URL TOKEN`.
import { describeFailure } from '../../server/index.ts';
import type { CommandContext } from '../context.ts';
import { connect, type ConnectionOptions } from './connection.ts';
import { formatTable } from './table.ts';

export type TokenCreateOptions = ConnectionOptions & { ttl?: string; uses?: string; note?: string; json?: boolean };

export async function runTokenCreate(options: TokenCreateOptions, context: CommandContext): Promise<number> {
  const ttlS = options.ttl === undefined ? undefined : parseDurationS(options.ttl);
  if (ttlS === null) { context.stderr.write(`--ttl: expected a duration like 90m, 24h, 7d (at least 1m), got "${options.ttl}"\n`); return 2; }
  const maxUses = options.uses === undefined ? undefined : Number(options.uses);
  if (maxUses !== undefined && (!Number.isInteger(maxUses) || maxUses < 1)) { context.stderr.write(`--uses: expected a positive whole number, got "${options.uses}"\n`); return 2; }
  const connection = connect(options, context);
  if (connection.kind === 'error') { context.stderr.write(`${connection.message}\n`); return 2; }
  const created = await connection.client.createEnrollmentToken({
    ...(ttlS !== undefined && { ttlS }), ...(maxUses !== undefined && { maxUses }), ...(options.note !== undefined && { note: options.note }),
  });
  if (created.kind !== 'ok') { context.stderr.write(`${describeFailure(created)}\n`); return 1; }
  if (options.json) { context.stdout.write(`${JSON.stringify(created.value)}\n`); return 0; }
  context.stdout.write(`${created.value.token}\n`);
  context.stderr.write(`enrollment token ${created.value.id}: expires ${created.value.expiresAt}, ${created.value.maxUses ?? 'unlimited'} uses; shown once\n`
    + `enroll a host with: npx ring3 agent enroll ${connection.url} <token>\n`);
  return 0;
}

export async function runTokenList(options: ConnectionOptions & { json?: boolean }, context: CommandContext): Promise<number> {
  const connection = connect(options, context);
  if (connection.kind === 'error') { context.stderr.write(`${connection.message}\n`); return 2; }
  const listed = await connection.client.listEnrollmentTokens();
  if (listed.kind !== 'ok') { context.stderr.write(`${describeFailure(listed)}\n`); return 1; }
  if (options.json) {
    for (const token of listed.value.items) context.stdout.write(`${JSON.stringify(token)}\n`);
    return 0;
  }
  const now = context.now().getTime();
  context.stdout.write(formatTable(['ID', 'STATE', 'USES', 'EXPIRES', 'NOTE'], listed.value.items.map((t) => [
    t.id, t.revokedAt !== null ? 'revoked' : Date.parse(t.expiresAt) <= now ? 'expired' : t.maxUses !== null && t.uses >= t.maxUses ? 'used up' : 'usable',
    `${t.uses}/${t.maxUses ?? '∞'}`, t.expiresAt, t.note,
  ])));
  return 0;
}

export async function runTokenRevoke(id: string, options: ConnectionOptions, context: CommandContext): Promise<number> {
  const connection = connect(options, context);
  if (connection.kind === 'error') { context.stderr.write(`${connection.message}\n`); return 2; }
  const result = await connection.client.revokeEnrollmentToken(id);
  if (result.kind !== 'ok') { context.stderr.write(`${describeFailure(result)}\n`); return 1; }
  context.stdout.write(result.value.revoked ? `revoked enrollment token ${id}\n` : `enrollment token ${id} was already revoked\n`);
  return 0;
}

function parseDurationS(text: string): number | null {
  const match = /^(\d+)([mhd])$/.exec(text);
  if (match === null) return null;
  const seconds = Number(match[1]) * { m: 60, h: 3600, d: 86400 }[match[2] as 'm' | 'h' | 'd'];
  return seconds >= 60 ? seconds : null;
}
