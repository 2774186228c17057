// `ring3 server …`, `ring3 fleet …`, `ring3 alerts …`: run the control plane and ask it about the fleet.
import type { Command } from 'commander';
import type { CommandContext } from '../context.ts';
import { runAlertList } from './alerts.ts';
import { addConnectionOptions } from './connection.ts';
import { runFleetList, runFleetRevoke, runFleetShow } from './fleet.ts';
import { runServerCommand } from './run.ts';
import { runAdminTokenRotate } from './admin-token.ts';
import { runTokenCreate, runTokenList, runTokenRevoke } from './tokens.ts';

export function registerServerCommands(program: Command, context: CommandContext): void {
  const server = program.command('server').description('run the ring3 control plane and manage enrollment');
  server.command('run')
    .description('run the server in the foreground (SQLite in the data directory unless --db says otherwise)')
    .option('--db <locator>', 'a SQLite file path, or postgres://user:pass@host/db for PostgreSQL')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '7300')
    .option('--tls-cert <file>', 'PEM certificate chain: serve https (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--admin-token-file <file>', 'use this admin token instead of generating one (also: $RING3_ADMIN_TOKEN)')
    .option('--data-dir <dir>', 'where the SQLite database, admin token and server.json live (default: $RING3_HOME/server or ~/.ring3/server)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug or trace', 'info')
    .option('--log-requests', 'log every request (busy: a fleet heartbeats constantly)')
    .option('--heartbeat-interval <seconds>', 'how often agents are asked to heartbeat', '60')
    .option('--metrics-token-file <file>', 'a token (24+ characters) that may read /metrics, besides admin tokens (also: $RING3_METRICS_TOKEN)')
    .option('--metrics-public', 'serve /metrics without a token (only where the scraper alone reaches the port)')
    .action(async (options) => context.setExitCode(await runServerCommand(options, context)));

  const token = server.command('token').description('enrollment tokens: an agent trades one for its own credential');
  addConnectionOptions(token.command('create').description('create an enrollment token (printed once on standard output)'))
    .option('--ttl <duration>', 'lifetime, e.g. 90m, 24h, 7d (default 24h)')
    .option('--uses <n>', 'how many hosts may enroll with it (default: unlimited until it expires)')
    .option('--note <text>', 'what the token is for')
    .option('--json', 'print the token and its details as one JSON object')
    .action(async (options) => context.setExitCode(await runTokenCreate(options, context)));
  addConnectionOptions(token.command('ls').description('list enrollment tokens (never their secrets)'))
    .option('--json', 'one JSON object per token')
    .action(async (options) => context.setExitCode(await runTokenList(options, context)));
  addConnectionOptions(token.command('revoke').description('revoke an enrollment token; hosts already enrolled keep working').argument('<id>'))
    .action(async (id: string, options) => context.setExitCode(await runTokenRevoke(id, options, context)));

  const adminToken = server.command('admin-token').description('the administrators\' token');
  addConnectionOptions(adminToken.command('rotate').description('make a new admin token and revoke the one used (printed once; a token file it was read from is rewritten)'))
    .option('--all', 'revoke every stored admin token, not only the one used')
    .option('--note <text>', 'what the new token is for')
    .option('--json', 'print the new token and its details as one JSON object')
    .action(async (options) => context.setExitCode(await runAdminTokenRotate(options, context)));

  const fleet = program.command('fleet').description('the enrolled hosts');
  addConnectionOptions(fleet.command('ls').description('list hosts with their state, versions and health'))
    .option('--state <state>', 'online, silent, never-seen or revoked')
    .option('--tag <tag>', 'only hosts with this tag')
    .option('--limit <n>', 'at most this many hosts', '1000')
    .option('--json', 'one JSON object per host')
    .action(async (options) => context.setExitCode(await runFleetList(options, context)));
  addConnectionOptions(fleet.command('show').description('one host as JSON').argument('<host-id>'))
    .action(async (id: string, options) => context.setExitCode(await runFleetShow(id, options, context)));
  addConnectionOptions(fleet.command('revoke').description('cut a host off: its credential stops working at once').argument('<host-id>'))
    .action(async (id: string, options) => context.setExitCode(await runFleetRevoke(id, options, context)));

  const alerts = program.command('alerts').description('alerts uploaded by the fleet');
  addConnectionOptions(alerts.command('ls').description('list alerts, newest first'))
    .option('--host <host-id>', 'only this host')
    .option('--rule <rule-id>', 'only this rule')
    .option('--level <level>', 'only this level')
    .option('--since <time>', 'ISO time, or a duration back from now: 30m, 12h, 7d')
    .option('--limit <n>', 'at most this many alerts', '100')
    .option('--json', 'one JSON object per alert')
    .action(async (options) => context.setExitCode(await runAlertList(options, context)));
}
