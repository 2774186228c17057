// `ring3 sigma check`: one line per rejected rule (`PATH: RULE_ID: REASON`) and a summary line, or
// one JSON object per rule with --json.
import type { CommandContext } from '../context.ts';
import { loadRulesForCli } from './load-rules.ts';

export type CheckOptions = { rules: string[]; json?: boolean; strict?: boolean; placeholders?: string };

export async function runSigmaCheck(options: CheckOptions, context: CommandContext): Promise<number> {
  const loaded = await loadRulesForCli(options.rules, options.placeholders, context);
  if (!loaded) return 2;
  let rejected = 0;
  for (const rule of loaded.rules) {
    if (!rule.ok) rejected++;
    if (options.json) {
      context.stdout.write(JSON.stringify({ path: rule.source, id: rule.id, ok: rule.ok, reason: rule.reason ?? null }) + '\n');
    } else if (!rule.ok) {
      context.stdout.write(`${rule.source}: ${rule.id}: ${rule.reason}\n`);
    }
  }
  const summary = `${loaded.rules.length} rules: ${loaded.rules.length - rejected} ok, ${rejected} rejected\n`;
  (options.json ? context.stderr : context.stdout).write(summary);
  return options.strict && rejected > 0 ? 1 : 0;
}
