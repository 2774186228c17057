// `ring3 agent install`: writes the systemd unit (and a starting config when there is none), then says
// how to enable it. It does not call systemctl: enabling a security agent is the operator's decision.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemdUnit, unitFileName } from '../../agent/index.ts';
import type { CommandContext } from '../context.ts';

export type InstallCliOptions = { config: string; unitDir: string; print?: boolean };

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

export const starterConfig = `# ring3 agent configuration (see docs/agent.md for every key).
host:
  tags: []
sensors:
  process: {}
  file:
    mounts: [/]
  network: {}
  execPermission:
    enabled: false
alerts:
  output: /var/log/ring3/alerts.jsonl
`;

export function runAgentInstall(options: InstallCliOptions, context: CommandContext): number {
  const config = resolve(context.cwd, options.config);
  const unit = systemdUnit({ node: process.execPath, cli: join(repoRoot, 'bin/ring3.js'), config, workingDirectory: repoRoot });
  if (options.print) {
    context.stdout.write(unit);
    return 0;
  }
  const unitFile = join(resolve(context.cwd, options.unitDir), unitFileName);
  try {
    mkdirSync(dirname(unitFile), { recursive: true });
    writeFileSync(unitFile, unit, { mode: 0o644 });
    if (!existsSync(config)) {
      mkdirSync(dirname(config), { recursive: true });
      writeFileSync(config, starterConfig, { mode: 0o640 });
      context.stdout.write(`wrote a starting config to ${config}\n`);
    }
  } catch (error) {
    context.stderr.write(`ring3 agent install: ${(error as Error).message}\n`);
    return 1;
  }
  context.stdout.write(`wrote ${unitFile}\nnext: systemctl daemon-reload && systemctl enable --now ${unitFileName}\n`);
  return 0;
}
