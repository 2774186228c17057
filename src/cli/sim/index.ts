// `ring3 sim`: a simulated fleet against a real server in this process (loopback HTTP, simulated
// clock), one rollout from start to end, with the verdicts' evidence printed at the end.
import type { Command } from 'commander';
import { parseDuration } from '../../server/rollouts/index.ts';
import { defaultFleetSpec, defaultScenario, parseFailure, runScenario, type Failure } from '../../server/sim/index.ts';
import type { CommandContext } from '../context.ts';
import { formatRolloutStatus } from '../rollout/format.ts';

type SimOptions = {
  hosts: string; version: string; from: string; fail: string[]; bake: string; interval: string; seed: string;
  internal: string; alpine: string; db: string; json?: boolean; quiet?: boolean;
};

export function registerSimCommands(program: Command, context: CommandContext): void {
  program.command('sim')
    .description('simulate a fleet rolling out a content version against a real in-process server (simulated time)')
    .option('--hosts <n>', 'simulated agents', String(defaultFleetSpec.size))
    .option('--version <version>', 'the content version to release', '2.0.0')
    .option('--from <version>', 'the version the fleet runs at the start', defaultFleetSpec.startVersion)
    .option('--fail <spec>', 'failure injection VERSION:KIND[:FACTOR][@TAG], KIND crash|hang|cpu|rss|drops|flood (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--bake <duration>', 'bake time per ring, in simulated time', '10m')
    .option('--interval <seconds>', 'heartbeat interval, in simulated seconds', '60')
    .option('--seed <n>', 'seed of the fleet and its noise', '1')
    .option('--internal <share>', 'share of hosts tagged internal (ring 0)', String(defaultFleetSpec.internalShare))
    .option('--alpine <share>', 'share of hosts tagged distro:alpine (a property to aim failures at)', String(defaultFleetSpec.alpineShare))
    .option('--db <locator>', 'the server\'s database (default: SQLite in memory)', ':memory:')
    .option('--json', 'print the report as one JSON object')
    .option('--quiet', 'no progress lines')
    .action(async (options: SimOptions) => context.setExitCode(await runSim(options, context)));
}

async function runSim(options: SimOptions, context: CommandContext): Promise<number> {
  const problems: string[] = [];
  const number = (flag: string, text: string, min: number, max: number) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max) problems.push(`--${flag}: "${text}" is not a number in [${min}, ${max}]`);
    return value;
  };
  const hosts = number('hosts', options.hosts, 1, 200_000);
  const interval = number('interval', options.interval, 1, 86_400);
  const seed = number('seed', options.seed, 0, 2 ** 31);
  const internal = number('internal', options.internal, 0, 1);
  const alpine = number('alpine', options.alpine, 0, 1);
  const bakeS = parseDuration(options.bake);
  if (bakeS === null) problems.push(`--bake: "${options.bake}" is not a duration (e.g. 90s, 10m, 1h)`);
  const failures: Failure[] = [];
  for (const text of options.fail) {
    const parsed = parseFailure(text);
    if (parsed.kind === 'error') problems.push(`--fail: ${parsed.message}`);
    else failures.push(parsed.failure);
  }
  if (problems.length > 0) {
    context.stderr.write(`${problems.join('\n')}\n`);
    return 2;
  }
  const report = await runScenario({
    ...defaultScenario, bakeS: bakeS!, heartbeatIntervalS: interval, db: options.db, version: options.version,
    maxRounds: Math.ceil(((bakeS! * 6) + 1200) / interval),
    fleet: { ...defaultFleetSpec, size: hosts, seed, internalShare: internal, alpineShare: alpine, startVersion: options.from, failures },
    ...(options.quiet || options.json ? {} : {
      onRound: (r) => context.stderr.write(`${r.at}  ${r.phase.padEnd(17)} ring ${r.ring}  ${String(r.running).padStart(6)} on ${options.version}  ${r.hung} hung\n`),
    }),
  });
  if (options.json) {
    context.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    context.stdout.write(formatRolloutStatus(report.status));
    context.stdout.write(`\nsimulated ${report.simulatedMinutes} minutes, ${report.fleetSize} hosts: ${report.outcome} in ring ${report.ring}; ` +
      `${report.exposure.hosts} hosts (${(report.exposure.share * 100).toFixed(1)}%) ever ran ${report.version}, ` +
      `${report.runningAtEnd} still run it at the end (${report.hungHosts} hung)\n`);
  }
  return 0;
}
