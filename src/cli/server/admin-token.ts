// `ring3 server admin-token rotate`: a new admin token replaces the one used (or all of them). The
// new token is printed once; when the old one was read from a file (the local server's
// <data-dir>/admin-token, or --admin-token-file), that file is rewritten, mode 600, so the CLI on
// this machine keeps working.
import { chmodSync, writeFileSync } from 'node:fs';
import { describeFailure } from '../../server/index.ts';
import type { CommandContext } from '../context.ts';
import { connect, type ConnectionOptions } from './connection.ts';

export type AdminTokenRotateOptions = ConnectionOptions & { all?: boolean; note?: string; json?: boolean };

export async function runAdminTokenRotate(options: AdminTokenRotateOptions, context: CommandContext): Promise<number> {
  const connection = connect(options, context);
  if (connection.kind === 'error') { context.stderr.write(`${connection.message}\n`); return 2; }
  const rotated = await connection.client.rotateAdminToken({ ...(options.all === true && { all: true }), ...(options.note !== undefined && { note: options.note }) });
  if (rotated.kind !== 'ok') {
    context.stderr.write(`${describeFailure(rotated)}\n`);
    if (rotated.kind === 'unavailable') context.stderr.write('the rotation may have happened: if the old token is refused now, the new one was lost; a configured token (--admin-token-file on the server) can rotate again with --all\n');
    return 1;
  }
  let saved = '';
  if (connection.tokenFile !== undefined) {
    try {
      writeFileSync(connection.tokenFile, `${rotated.value.token}\n`, { mode: 0o600 });
      chmodSync(connection.tokenFile, 0o600);
      saved = `; written to ${connection.tokenFile}`;
    } catch (error) {
      saved = `; could NOT write ${connection.tokenFile} (${(error as Error).message}): keep the token printed above`;
    }
  }
  if (options.json) context.stdout.write(`${JSON.stringify(rotated.value)}\n`);
  else context.stdout.write(`${rotated.value.token}\n`);
  context.stderr.write(`admin token ${rotated.value.id} made; ${rotated.value.revoked === 'all' ? 'every other stored admin token' : 'the token used'} stopped working${saved}\n`);
  return 0;
}
