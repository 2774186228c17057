// `ring3 agent …`: run the daemon, show its status, enroll it with a server, install its systemd unit.
import type { Command } from 'commander';
import type { CommandContext } from '../context.ts';
import { runAgentEnroll } from './enroll.ts';
import { runAgentInstall } from './install.ts';
import { runAgentCommand } from './run.ts';
import { runAgentStatus } from './status.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerAgentCommands(program: Command, context: CommandContext): void {
  const agent = program.command('agent').description('the ring3 agent: sensors, Sigma engine, alerts');
  agent.command('run')
    .description('run the agent in the foreground until SIGINT or SIGTERM')
    .option('--config <file>', 'agent config (YAML; default: $RING3_AGENT_CONFIG, else built-in defaults)')
    .option('--rules <path...>', 'rule files or directories to load directly, instead of the content store')
    .option('--alerts <file|->', 'where alerts go as JSON lines: - (standard output), a file, or none (default: config alerts.output, -)')
    .option('--events-out <file|->', 'also write every normalised event as JSON lines')
    .option('--no-server', 'do not contact the server even when enrolled')
    .option('--until-replayed', 'stop once the replay sensors have read their files (offline hunting)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', 'info')
    .action(async (options) => context.setExitCode(await runAgentCommand(options, context)));
  agent.command('status')
    .description('show the running agent: sensors, event rates, drops, rules, quarantine, content, CPU and RSS')
    .option('--config <file>', 'agent config (finds the status file)')
    .option('--status-file <file>', 'read this status file')
    .option('--json', 'print the status as one JSON object')
    .action((options) => context.setExitCode(runAgentStatus(options, context)));
  agent.command('enroll')
    .description('trade an enrollment token for this agent\'s credential with the server at URL')
    .argument('<url>', 'server URL, e.g. https://ring3.example.internal:7300')
    .argument('<token>', 'enrollment token (ring3 server token create)')
    .option('--config <file>', 'agent config (state directory, host name and tags)')
    .option('--tag <tag>', 'a tag for this host (repeatable), e.g. internal or group:db', collect)
    .option('--hostname <name>', 'the name to enroll under (default: config host.name, else the machine\'s)')
    .option('--ca <file>', 'PEM certificate to trust for the server')
    .action(async (url: string, token: string, options) => context.setExitCode(await runAgentEnroll(url, token, options, context)));
  agent.command('install')
    .description('write the systemd unit (and a starting config if none exists)')
    .option('--config <file>', 'the config the service runs with', '/etc/ring3/agent.yaml')
    .option('--unit-dir <dir>', 'where to write ring3-agent.service', '/etc/systemd/system')
    .option('--print', 'print the unit instead of writing it')
    .action((options) => context.setExitCode(runAgentInstall(options, context)));
}
