// Stateless matching of events against compiled detection rules (with their filters). A rule that
// throws is quarantined on the spot: counted, reported, and skipped from then on; nothing escapes.
import type { Logsource, RuleMeta } from '../ast.ts';
import type { CompiledRule, RuleSet } from '../compile/rule-set.ts';
import { EventView, type SigmaEvent } from '../compile/event-view.ts';
import type { AutomatonCache } from '../compile/automaton.ts';
import { LogsourceIndex } from './logsource-index.ts';
import { RulePlan } from './rule-plan.ts';

export type DetectionMatch = { rule: RuleMeta; standalone: boolean };

const noMatches: DetectionMatch[] = Object.freeze([]) as unknown as DetectionMatch[];
export type Quarantined = { ruleId: string; reason: string };

export type DetectionEngine = {
  match(event: SigmaEvent, logsource?: Logsource): readonly DetectionMatch[];
  quarantine(ruleId: string, reason: string): void;
  quarantined(): Quarantined[];
  readonly ruleErrors: number;
};

export function createDetectionEngine(ruleSet: RuleSet): DetectionEngine {
  const automata: AutomatonCache = new Map();
  const index = new LogsourceIndex(ruleSet.detections, (rules) => new RulePlan(rules, ruleSet.fields, automata));
  const view = new EventView();
  const quarantine = new Map<string, string>();
  const matchCache = new WeakMap<CompiledRule, DetectionMatch>();
  let ruleErrors = 0;
  const matchOf = (rule: CompiledRule) => {
    let m = matchCache.get(rule);
    if (!m) { m = Object.freeze({ rule: rule.meta, standalone: rule.standalone }); matchCache.set(rule, m); }
    return m;
  };
  return {
    match(event, logsource) {
      // Most events match nothing: they share one empty result instead of allocating their own.
      let matches: DetectionMatch[] = noMatches;
      if (typeof event !== 'object' || event === null) return matches;
      view.reset(event);
      const plan = index.rulesFor(logsource);
      const count = plan.select(view);
      for (let i = 0; i < count; i++) {
        const rule = plan.ruleAt(i);
        if (quarantine.size > 0 && quarantine.has(rule.meta.id)) continue;
        try {
          if (rule.predicate(view) && (rule.filters.length === 0 || !rule.filters.some((f) => f(view)))) {
            if (matches === noMatches) matches = [];
            matches.push(matchOf(rule));
          }
        } catch (error) {
          ruleErrors++;
          quarantine.set(rule.meta.id, `threw while matching: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return matches;
    },
    quarantine(ruleId, reason) { quarantine.set(ruleId, reason); },
    quarantined() { return [...quarantine].map(([ruleId, reason]) => ({ ruleId, reason })); },
    get ruleErrors() { return ruleErrors; },
  };
}
