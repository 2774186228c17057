// Every top-level command of `ring3`, in one explicit list. Add a command here and nowhere else.
import type { Command } from 'commander';
import type { CommandContext } from './context.ts';

export type CommandRegistrar = (program: Command, context: CommandContext) => void;

/** A module of commands: the top-level names it registers, and how to load it. */
export type CommandModule = { names: readonly string[]; load: () => Promise<CommandRegistrar> };

// Loaded on demand: `ring3 agent run` is a long-running daemon and must not hold the server's
// libraries (fastify, kysely, pg, prom-client: ~27 MB of RSS) that only other commands use.
export const commandModules: readonly CommandModule[] = [
  { names: ['sigma'], load: async () => (await import('./sigma/index.ts')).registerSigmaCommands },
  { names: ['server', 'fleet', 'alerts'], load: async () => (await import('./server/index.ts')).registerServerCommands },
  { names: ['content'], load: async () => (await import('./content/index.ts')).registerContentCommands },
  { names: ['rollout'], load: async () => (await import('./rollout/index.ts')).registerRolloutCommands },
  { names: ['sim'], load: async () => (await import('./sim/index.ts')).registerSimCommands },
  { names: ['agent'], load: async () => (await import('./agent/index.ts')).registerAgentCommands },
  { names: ['start'], load: async () => (await import('./start.ts')).registerStartCommand },
];

/** The modules a command line needs: the one naming its first word, else all (help, unknown words). */
export function commandModulesFor(argv: readonly string[]): readonly CommandModule[] {
  const first = argv.find((arg) => !arg.startsWith('-'));
  const named = commandModules.filter((m) => first !== undefined && m.names.includes(first));
  return named.length > 0 ? named : commandModules;
}
