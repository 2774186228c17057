// `ring3 sigma …`: check rules, evaluate rules against events.
import type { Command } from 'commander';
import type { CommandContext } from '../context.ts';
import { runSigmaCheck } from './check.ts';
import { runSigmaEval } from './eval.ts';

export function registerSigmaCommands(program: Command, context: CommandContext): void {
  const sigma = program.command('sigma').description('check Sigma rules and evaluate them against events');
  sigma.command('check')
    .description('compile rules and report each one that is rejected, with where and why')
    .requiredOption('--rules <paths...>', 'rule files or directories (recursive)')
    .option('--json', 'one JSON object per rule: {"path","id","ok","reason"}')
    .option('--strict', 'exit with status 1 when a rule is rejected')
    .option('--placeholders <file>', 'YAML mapping of placeholder name to values, for the expand modifier')
    .action(async (options) => context.setExitCode(await runSigmaCheck(options, context)));
  sigma.command('eval')
    .description('evaluate rules against JSON Lines events; print one JSON line per match and per correlation')
    .requiredOption('--rules <paths...>', 'rule files or directories (recursive)')
    .requiredOption('--events <file>', 'JSON Lines events, "-" for standard input')
    .option('--logsource <product:category>', 'the logsource of every event (otherwise each event\'s "logsource" field, or all rules)')
    .option('--timestamp-field <name>', 'event field with the event time (ISO 8601 or epoch ms)', '@timestamp')
    .option('--placeholders <file>', 'YAML mapping of placeholder name to values, for the expand modifier')
    .action(async (options) => context.setExitCode(await runSigmaEval(options, context)));
}
