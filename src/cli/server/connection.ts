// Where the admin commands find the server and their admin token: flags, then environment, then
// the files `ring3 server run` leaves in its data directory — so on the server's own machine
// `ring3 fleet ls` needs no set-up at all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { adminTokenFileName, createAdminClient, serverInfoFileName, type AdminClient } from '../../server/index.ts';
import type { CommandContext } from '../context.ts';

export type ConnectionOptions = { server?: string; adminTokenFile?: string; ca?: string; dataDir?: string };

export function serverDataDir(context: CommandContext, explicit?: string): string {
  if (explicit !== undefined) return explicit;
  const home = context.env.RING3_HOME ?? join(context.env.HOME ?? context.cwd, '.ring3');
  return join(home, 'server');
}

export function addConnectionOptions(command: Command): Command {
  return command
    .option('--server <url>', 'server URL (default: $RING3_SERVER_URL, else the local server\'s data directory)')
    .option('--admin-token-file <file>', 'file holding the admin token (default: $RING3_ADMIN_TOKEN, else <data-dir>/admin-token)')
    .option('--ca <file>', 'PEM certificate to trust for an https server with its own CA ($RING3_SERVER_CA)')
    .option('--data-dir <dir>', 'the local server\'s data directory (default: $RING3_HOME/server or ~/.ring3/server)');
}

/** `tokenFile`: the file the admin token was read from, if it came from one. */
export type Connection = { kind: 'ok'; client: AdminClient; url: string; tokenFile?: string } | { kind: 'error'; message: string };

export function connect(options: ConnectionOptions, context: CommandContext): Connection {
  const dataDir = serverDataDir(context, options.dataDir);
  let url = options.server ?? context.env.RING3_SERVER_URL;
  if (url === undefined) {
    const infoFile = join(dataDir, serverInfoFileName);
    try {
      url = (JSON.parse(readFileSync(infoFile, 'utf8')) as { url?: string }).url;
    } catch {
      return { kind: 'error', message: `No server given: use --server URL or RING3_SERVER_URL (no local server found at ${infoFile})` };
    }
    if (typeof url !== 'string') return { kind: 'error', message: `Cannot read the server URL from ${infoFile}` };
  }
  try {
    new URL(url);
  } catch {
    return { kind: 'error', message: `--server: "${url}" is not a URL` };
  }
  let adminToken = context.env.RING3_ADMIN_TOKEN;
  const tokenFile = options.adminTokenFile ?? (adminToken === undefined ? join(dataDir, adminTokenFileName) : undefined);
  if (tokenFile !== undefined) {
    try {
      adminToken = readFileSync(tokenFile, 'utf8').trim();
    } catch (error) {
      return { kind: 'error', message: `Cannot read the admin token from ${tokenFile}: ${(error as Error).message} (set RING3_ADMIN_TOKEN or --admin-token-file)` };
    }
  }
  const caFile = options.ca ?? context.env.RING3_SERVER_CA;
  let ca: Buffer | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile);
    } catch (error) {
      return { kind: 'error', message: `Cannot read --ca ${caFile}: ${(error as Error).message}` };
    }
  }
  return {
    kind: 'ok', url, client: createAdminClient({ baseUrl: url, adminToken: adminToken!, ...(ca === undefined ? {} : { ca }) }),
    ...(tokenFile === undefined ? {} : { tokenFile }),
  };
}
