// Every top-level command of `ring3`, in one explicit list. Add a command here and nowhere else.
import type { Command } from 'commander';
import type { CommandContext } from './context.ts';
import { registerSigmaCommands } from './sigma/index.ts';
import { registerServerCommands } from './server/index.ts';
import { registerContentCommands } from './content/index.ts';
import { registerRolloutCommands } from './rollout/index.ts';
import { registerSimCommands } from './sim/index.ts';
import { registerAgentCommands } from './agent/index.ts';
import { registerStartCommand } from './start.ts';

export type CommandRegistrar = (program: Command, context: CommandContext) => void;

export const commandRegistrars: readonly CommandRegistrar[] = [
  registerSigmaCommands,
  registerServerCommands,
  registerContentCommands,
  registerRolloutCommands,
  registerSimCommands,
  registerAgentCommands,
  registerStartCommand,
];
