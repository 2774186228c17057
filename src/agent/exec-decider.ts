// Loaded by URL inside the exec permission worker (src/sensors/linux/exec-permission-worker.ts), not
// imported by the agent: the prevention rules, compiled into a Sigma engine of their own on that
// real-time thread, decide each exec without waiting for the main thread's event loop. The config is
// plain data (structured clone): the parsed prevention rules and the settings they need.
import type { ExecDecider, ExecFacts } from '../sensors/index.ts';
import { compileRuleSet, createDetectionEngine, type Detection, type Selection, type SigmaRule } from '../sigma/index.ts';
import { blockingRule, execEvent, execLogsource } from './prevention.ts';

export type ExecDeciderConfig = { rules: SigmaRule[]; denyTags: string[]; hostName: string; placeholders: Record<string, string[]> };

const allowAll: ExecDecider = { mayDeny: false, decide: () => ({ allow: true }) };

export function createExecDecider(config: unknown): ExecDecider {
  if (!isConfig(config)) throw new Error('exec decider config: expected { rules, denyTags, hostName, placeholders }');
  if (config.rules.length === 0) return allowAll;
  const { ruleSet } = compileRuleSet(config.rules, { placeholders: config.placeholders });
  const deny = new Set(config.denyTags);
  if (!ruleSet.detections.some((rule) => rule.meta.tags.some((tag) => deny.has(tag)))) return allowAll;
  const engine = createDetectionEngine(ruleSet);
  return {
    mayDeny: true,
    readsCurrentImage: config.rules.some(mayRead('parentimage')),
    decide(exec: ExecFacts) {
      const blocking = blockingRule(engine.match(execEvent(exec, config.hostName), execLogsource), deny);
      return blocking ? { allow: false, ruleId: blocking.rule.id } : { allow: true };
    },
  };
}

function isConfig(value: unknown): value is ExecDeciderConfig {
  const v = value as Partial<ExecDeciderConfig> | null;
  return typeof v === 'object' && v !== null && Array.isArray(v.rules) && Array.isArray(v.denyTags) && typeof v.hostName === 'string' && typeof v.placeholders === 'object';
}

/** Whether a rule may read the field: by name, through a keyword search (every value) or a field reference. */
function mayRead(field: string): (rule: SigmaRule) => boolean {
  const inSelection = (selection: Selection): boolean => selection.kind === 'or'
    ? selection.alternatives.some(inSelection)
    : selection.conditions.some((c) => c.field === null || c.field.toLowerCase() === field || c.modifiers.includes('fieldref'));
  const inDetection = (detection: Detection) => [...detection.selections.values()].some(inSelection);
  return (rule) => rule.kind === 'detection' ? inDetection(rule.detection) : rule.kind === 'filter' ? inDetection(rule.filter.detection) : false;
}
