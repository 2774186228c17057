// A subset of parsed rules that still compiles alone: the detections a caller keeps, plus the filter
// documents that refer to them (a filter applies as AND NOT, so leaving one out would widen a rule).
// The agent uses it to hand its exec permission worker only the rules that can deny an exec.
import type { DetectionRule, SigmaRule } from './ast.ts';

export function selectDetections(rules: readonly SigmaRule[], keep: (rule: DetectionRule) => boolean): SigmaRule[] {
  const kept = rules.filter((rule): rule is DetectionRule => rule.kind === 'detection' && keep(rule));
  const refs = new Set<string>();
  for (const rule of kept) {
    refs.add(rule.id);
    if (rule.name !== undefined) refs.add(rule.name);
  }
  const filters = rules.filter((rule) => rule.kind === 'filter' && rule.filter.rules.some((ref) => refs.has(ref)));
  return [...kept, ...filters];
}
