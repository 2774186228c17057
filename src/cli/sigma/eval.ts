// `ring3 sigma eval`: rules × JSON Lines events → one JSON line per detection match and per
// correlation firing. Bad event lines are reported on standard error and skipped.
import { createEvaluator, type Logsource } from '../../sigma/index.ts';
import type { CommandContext } from '../context.ts';
import { loadRulesForCli } from './load-rules.ts';
import { readEventLines } from './event-lines.ts';

export type EvalOptions = { rules: string[]; events: string; logsource?: string; timestampField: string; placeholders?: string };

export async function runSigmaEval(options: EvalOptions, context: CommandContext): Promise<number> {
  let fixedLogsource: Logsource | undefined;
  if (options.logsource !== undefined) {
    const parsed = parseLogsourceOption(options.logsource);
    if (!parsed) { context.stderr.write(`--logsource: expected product:category (either may be empty), got "${options.logsource}"\n`); return 2; }
    fixedLogsource = parsed;
  }
  const loaded = await loadRulesForCli(options.rules, options.placeholders, context);
  if (!loaded) return 2;
  for (const rule of loaded.rules) if (!rule.ok) context.stderr.write(`${rule.source}: ${rule.id}: rejected: ${rule.reason}\n`);
  const evaluator = createEvaluator(loaded.ruleSet);
  const label = options.events === '-' ? '<stdin>' : options.events;
  let lastTime = 0;
  let warnedTime = false;
  try {
    for await (const { index, event } of readEventLines(options.events, context, (line, reason) => context.stderr.write(`${label}:${line}: skipped: ${reason}\n`))) {
      const time = eventTime(event[options.timestampField]);
      if (time === undefined && !warnedTime && loaded.ruleSet.correlations.length > 0) {
        context.stderr.write(`${label}:${index + 1}: no usable "${options.timestampField}"; correlations use the previous event's time\n`);
        warnedTime = true;
      }
      lastTime = time ?? lastTime;
      const logsource = fixedLogsource ?? logsourceOf(event);
      const result = evaluator.evaluate(event, { timeMs: lastTime, eventIndex: index, ...(logsource && { logsource }) });
      for (const { rule } of result.detections) {
        context.stdout.write(JSON.stringify({ rule_id: rule.id, title: rule.title, level: rule.level ?? null, event_index: index }) + '\n');
      }
      for (const firing of result.correlations) {
        context.stdout.write(JSON.stringify({
          rule_id: firing.rule.id, title: firing.rule.title, type: 'correlation', correlation_type: firing.type,
          level: firing.rule.level ?? null, group: firing.group, event_indexes: firing.eventIndexes,
        }) + '\n');
      }
    }
  } catch (error) {
    context.stderr.write(`${label}: cannot read events: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const stats = evaluator.stats();
  if (stats.evictedGroups > 0) context.stderr.write(`correlation state reached its cap: ${stats.evictedGroups} groups evicted (oldest first)\n`);
  for (const q of evaluator.quarantined()) context.stderr.write(`rule ${q.ruleId} quarantined: ${q.reason}\n`);
  return 0;
}

function parseLogsourceOption(text: string): Logsource | undefined {
  const parts = text.split(':');
  if (parts.length < 1 || parts.length > 3) return undefined;
  const [product, category, service] = parts.map((p) => p.trim().toLowerCase());
  const out: Logsource = {};
  if (product) out.product = product;
  if (category) out.category = category;
  if (service) out.service = service;
  return out;
}

/** Events may say where they come from: `"logsource": {"product": …, "category": …, "service": …}`. */
function logsourceOf(event: Record<string, unknown>): Logsource | undefined {
  const value = event.logsource;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Logsource = {};
  for (const key of ['product', 'category', 'service'] as const) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'string') out[key] = v.toLowerCase();
  }
  return out;
}

function eventTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') { const t = Date.parse(value); return Number.isFinite(t) ? t : undefined; }
  return undefined;
}
