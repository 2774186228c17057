// Per-rule isolation at run time: every `sampleEvery`-th event is also run through each detection
// rule alone, timed. A rule over its budget on `quarantineAfter` consecutive samples is quarantined
// in the running evaluator (every other rule keeps running) and reported. Sampling keeps the cost
// small (one extra pass over the rules per N events); consecutive strikes keep a single GC pause
// from condemning a rule.
import { createDetectionEngine, type DetectionEngine, type Evaluator, type Logsource, type RuleSet, type SigmaEvent } from '../sigma/index.ts';

export type RuleBudgetOptions = {
  ruleSet: RuleSet;
  evaluator: Evaluator;
  budgetMs: number;
  sampleEvery: number;
  quarantineAfter: number;
  /** A monotonic clock in milliseconds (performance.now). */
  clock: () => number;
  onQuarantine?: (ruleId: string, reason: string) => void;
};

export type RuleCost = { ruleId: string; title: string; meanUs: number; maxUs: number; samples: number };

export type RuleBudget = {
  /** Call once per event with its index; does work only on sampled events. Never throws. */
  observe(event: SigmaEvent, logsource: Logsource | undefined, eventIndex: number): void;
  /** The costliest rules, by mean sampled time. */
  costs(limit: number): RuleCost[];
  readonly samples: number;
};

type Tracked = { engine: DetectionEngine; id: string; title: string; total: number; max: number; samples: number; strikes: number };

export function createRuleBudget(options: RuleBudgetOptions): RuleBudget {
  const tracked: Tracked[] = options.ruleSet.detections.map((rule) => ({
    // A rule set holding this rule alone: its cost is its own. Filters come along with the rule.
    engine: createDetectionEngine({ ...options.ruleSet, rules: [rule.meta], detections: [rule], correlations: [] }),
    id: rule.meta.id, title: rule.meta.title, total: 0, max: 0, samples: 0, strikes: 0,
  }));
  const quarantined = new Set<string>();
  let samples = 0;
  return {
    observe(event, logsource, eventIndex) {
      if (eventIndex % options.sampleEvery !== 0) return;
      samples += 1;
      for (const rule of tracked) {
        if (quarantined.has(rule.id)) continue;
        let elapsed: number;
        try {
          const start = options.clock();
          rule.engine.match(event, logsource);
          elapsed = options.clock() - start;
        } catch {
          continue; // match never throws; a clock that does is not the rule's fault
        }
        rule.samples += 1;
        rule.total += elapsed;
        if (elapsed > rule.max) rule.max = elapsed;
        rule.strikes = elapsed > options.budgetMs ? rule.strikes + 1 : 0;
        if (rule.strikes >= options.quarantineAfter) {
          const reason = `over its evaluation budget: ${elapsed.toFixed(3)} ms per event (budget ${options.budgetMs} ms) on ${rule.strikes} samples in a row`;
          quarantined.add(rule.id);
          options.evaluator.quarantine(rule.id, reason);
          options.onQuarantine?.(rule.id, reason);
        }
      }
    },
    costs(limit) {
      return tracked.filter((r) => r.samples > 0)
        .map((r) => ({ ruleId: r.id, title: r.title, meanUs: Math.round((r.total / r.samples) * 1000 * 10) / 10, maxUs: Math.round(r.max * 1000 * 10) / 10, samples: r.samples }))
        .sort((a, b) => b.meanUs - a.meanUs)
        .slice(0, limit);
    },
    get samples() { return samples; },
  };
}
