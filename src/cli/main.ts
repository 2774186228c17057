// Entry point of the `ring3` command: parse arguments, run one command, return its exit code.
// Commands are registered in one explicit list (commands.ts); this file only wires commander.
import { Command, CommanderError } from 'commander';
import { commandModulesFor } from './commands.ts';
import type { CliContext } from './context.ts';

export async function main(argv: string[], context: CliContext = processContext()): Promise<number> {
  const program = new Command('ring3')
    .description('ring3: user-mode endpoint detection and response for Linux fleets')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .showHelpAfterError();
  let exitCode = 0;
  const setExitCode = (code: number) => { exitCode = code; };
  for (const commands of commandModulesFor(argv)) (await commands.load())(program, { ...context, setExitCode });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    context.stderr.write(`ring3: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  return exitCode;
}

function processContext(): CliContext {
  // `ring3 … | head` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => { if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw error; });
  }
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env, now: () => new Date() };
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
