// `ring3 rollout …`: start a release, watch it, pause, resume, approve, abort it, and the fleet-wide
// kill switch. Tables for people, `--json` for scripts. All through the admin API.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describeFailure } from '../../server/index.ts';
import { parseDuration, parseGroupPolicy, type RolloutStatusView, type RolloutView, type TransitionView } from '../../server/rollouts/index.ts';
import type { CommandContext } from '../context.ts';
import { addConnectionOptions, connect, type ConnectionOptions } from '../server/connection.ts';
import { formatTable } from '../server/table.ts';
import { formatRolloutList, formatRolloutStatus } from './format.ts';

type Json = { json?: boolean };
type StartOptions = ConnectionOptions & Json & { bake?: string; approve?: string; plan?: string; salt?: string; from?: string };
type ActOptions = ConnectionOptions & Json & { reason?: string };

export function registerRolloutCommands(program: Command, context: CommandContext): void {
  const rollout = program.command('rollout').description('staged content releases: rings, bake, health judge, rollback');
  const run = (work: () => Promise<number>) => async () => context.setExitCode(await work());

  addConnectionOptions(rollout.command('start').description('release a content version through the rings').argument('<version>'))
    .option('--bake <duration>', 'bake time of every ring of the default plan, e.g. 30m, 2h (default 1h)')
    .option('--approve <rings>', 'rings that need a person\'s approval before widening into them, e.g. 2,3')
    .option('--plan <file>', 'a JSON ring plan ({"rings": [...]}) instead of the default one')
    .option('--salt <text>', 'bucket salt (default: per version, so each release picks a different 1 %)')
    .option('--from <version>', 'the version hosts leave and roll back to (default: the latest release)')
    .option('--json', 'print the rollout as JSON')
    .action((version: string, options: StartOptions) => run(() => start(version, options, context))());

  addConnectionOptions(rollout.command('status').description('a rollout with its transitions and verdict evidence').argument('[id]', 'rollout id', 'current'))
    .option('--json', 'print the status as JSON')
    .action((id: string, options: ConnectionOptions & Json) => run(() => status(id, options, context))());

  addConnectionOptions(rollout.command('ls').description('recent rollouts'))
    .option('--json', 'one JSON object per rollout')
    .action((options: ConnectionOptions & Json) => run(() => list(options, context))());

  for (const [action, what] of [['pause', 'stop widening (hosts keep what they run)'], ['resume', 'resume a paused rollout; its ring bakes again'],
    ['approve', 'let a rollout widen into a ring that needs approval, or override an inconclusive verdict'], ['abort', 'stop and roll every host back']] as const) {
    addConnectionOptions(rollout.command(action).description(what).argument('[id]', 'rollout id', 'current'))
      .option('--reason <text>', 'why, kept with the transition')
      .option('--json', 'print the transition as JSON')
      .action((id: string, options: ActOptions) => run(() => act(action, id, options, context))());
  }

  addConnectionOptions(rollout.command('kill').description('kill switch: mark a version bad fleet-wide; every host leaves it').argument('<version>'))
    .option('--reason <text>', 'why, kept with the mark')
    .option('--json', 'print the outcome as JSON')
    .action((version: string, options: ActOptions) => run(() => kill(version, options, context))());

  addConnectionOptions(rollout.command('bad-versions').description('versions marked bad by the kill switch'))
    .option('--json', 'one JSON object per version')
    .action((options: ConnectionOptions & Json) => run(() => badVersions(options, context))());

  addConnectionOptions(rollout.command('policy').description('set a host group\'s policy (hosts tagged group:NAME)').argument('<group>').argument('<policy>', 'follow-latest, one-behind or delay:<duration>'))
    .option('--json', 'print the policy as JSON')
    .action((group: string, policy: string, options: ConnectionOptions & Json) => run(() => setPolicy(group, policy, options, context))());

  addConnectionOptions(rollout.command('tick').description('judge the active rollout now instead of at the next timer tick'))
    .action((options: ConnectionOptions) => run(() => simple('POST', '/v1/admin/rollouts/tick', undefined, options, context))());
}

async function start(version: string, options: StartOptions, context: CommandContext): Promise<number> {
  const body: Record<string, unknown> = { version };
  if (options.bake !== undefined) {
    const seconds = parseDuration(options.bake);
    if (seconds === null) return usage(context, `--bake: "${options.bake}" is not a duration (e.g. 90s, 30m, 2h)`);
    body['bakeS'] = seconds;
  }
  if (options.approve !== undefined) {
    const rings = options.approve.split(',').map((r) => Number(r.trim()));
    if (rings.some((r) => !Number.isInteger(r) || r < 0)) return usage(context, `--approve: "${options.approve}" is not a list of ring numbers (e.g. 2,3)`);
    body['approvalRings'] = rings;
  }
  if (options.plan !== undefined) {
    try {
      body['plan'] = JSON.parse(readFileSync(options.plan, 'utf8')) as unknown;
    } catch (error) {
      return usage(context, `--plan: cannot read ${options.plan}: ${(error as Error).message}`);
    }
  }
  if (options.salt !== undefined) body['salt'] = options.salt;
  if (options.from !== undefined) body['previousVersion'] = options.from;
  return request<RolloutView>('POST', '/v1/admin/rollouts', body, options, context, (r) =>
    `started rollout ${r.id}: ${r.version} (from ${r.previousVersion ?? 'unknown'}), ${r.phase} in ${r.ring < 0 ? 'no ring yet' : `ring ${r.ring}`}\n`);
}

const status = (id: string, options: ConnectionOptions & Json, context: CommandContext) =>
  request<RolloutStatusView>('GET', `/v1/admin/rollouts/${encodeURIComponent(id)}`, undefined, options, context, formatRolloutStatus);

const list = (options: ConnectionOptions & Json, context: CommandContext) =>
  request<{ items: RolloutView[] }>('GET', '/v1/admin/rollouts', undefined, options, context, (page) => formatRolloutList(page.items), (page) => page.items);

const act = (action: string, id: string, options: ActOptions, context: CommandContext) =>
  request<TransitionView>('POST', `/v1/admin/rollouts/${encodeURIComponent(id)}/${action}`, options.reason === undefined ? {} : { reason: options.reason }, options, context,
    (t) => `${t.from} -> ${t.to}: ${t.reason}\n`);

const kill = (version: string, options: ActOptions, context: CommandContext) =>
  request<{ version: string; aborted: TransitionView | null }>('POST', '/v1/admin/bad-versions', { version, ...(options.reason === undefined ? {} : { reason: options.reason }) }, options, context,
    (k) => `${k.version} marked bad: no host will be assigned it again${k.aborted ? `\nits rollout: ${k.aborted.from} -> ${k.aborted.to}: ${k.aborted.reason}` : ''}\n`);

const badVersions = (options: ConnectionOptions & Json, context: CommandContext) =>
  request<{ items: { version: string; markedAt: string; reason: string }[] }>('GET', '/v1/admin/bad-versions', undefined, options, context,
    (page) => formatTable(['VERSION', 'MARKED', 'REASON'], page.items.map((b) => [b.version, b.markedAt, b.reason])), (page) => page.items);

async function setPolicy(group: string, text: string, options: ConnectionOptions & Json, context: CommandContext): Promise<number> {
  const policy = parseGroupPolicy(text, 'policy');
  if (policy.kind === 'error') return usage(context, `${policy.diagnostics[0]!.where}: ${policy.diagnostics[0]!.message}`);
  return request<{ group: string }>('POST', `/v1/admin/rollout-policies/${encodeURIComponent(group)}`, { policy: policy.value }, options, context,
    () => `group ${group}: ${text}\n`);
}

const simple = (method: 'POST', path: string, body: unknown, options: ConnectionOptions, context: CommandContext) =>
  request<unknown>(method, path, body ?? {}, { ...options, json: true }, context, () => '');

async function request<T>(method: 'GET' | 'POST', path: string, body: unknown, options: ConnectionOptions & Json, context: CommandContext,
  human: (value: T) => string, jsonLines?: (value: T) => unknown[]): Promise<number> {
  const connection = connect(options, context);
  if (connection.kind === 'error') return usage(context, connection.message);
  const result = await connection.client.request<T>(method, path, body);
  if (result.kind !== 'ok') {
    context.stderr.write(`${describeFailure(result)}\n`);
    return 1;
  }
  if (options.json) {
    const lines = jsonLines ? jsonLines(result.value) : [result.value];
    for (const line of lines) context.stdout.write(`${JSON.stringify(line)}\n`);
  } else {
    context.stdout.write(human(result.value));
  }
  return 0;
}

function usage(context: CommandContext, message: string): number {
  context.stderr.write(`${message}\n`);
  return 2;
}
