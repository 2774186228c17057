// Detection, filters and correlation for one event stream: what the agent and `sigma eval` run.
// The caller passes each event's time; correlation state is bounded and can be exported.
import type { Logsource } from '../ast.ts';
import type { RuleSet } from '../compile/rule-set.ts';
import type { SigmaEvent } from '../compile/event-view.ts';
import { createCorrelationEngine, type CorrelationFiring } from '../correlation/index.ts';
import { createDetectionEngine, type DetectionMatch, type Quarantined } from './detection-engine.ts';

export type EvaluationContext = { timeMs: number; eventIndex: number; logsource?: Logsource };
export type Evaluation = { readonly detections: readonly DetectionMatch[]; readonly correlations: readonly CorrelationFiring[] };

/** The result of the many events that match nothing, shared (frozen: callers cannot change it). */
const nothing: Evaluation = Object.freeze({ detections: Object.freeze([]), correlations: Object.freeze([]) });

export type Evaluator = {
  /** Matches that alert (`standalone`), and correlation firings, for one event. Never throws. */
  evaluate(event: SigmaEvent, context: EvaluationContext): Evaluation;
  quarantine(ruleId: string, reason: string): void;
  quarantined(): Quarantined[];
  stats(): { liveGroups: number; evictedGroups: number; ruleErrors: number };
  exportState(): unknown;
  importState(state: unknown): { ok: boolean; reason?: string };
};

export function createEvaluator(ruleSet: RuleSet, options: { maxCorrelationGroups?: number } = {}): Evaluator {
  const detection = createDetectionEngine(ruleSet);
  const correlation = createCorrelationEngine(ruleSet.correlations, options.maxCorrelationGroups === undefined ? {} : { maxGroups: options.maxCorrelationGroups });
  const noCorrelations = ruleSet.correlations.length === 0;
  let correlationErrors = 0;
  return {
    evaluate(event, context) {
      const matches = detection.match(event, context.logsource);
      if (matches.length === 0) return nothing;
      // Without correlations every rule alerts on its own (none is hidden as a correlation's input):
      // the matches are the detections as they are (a fresh array per event).
      if (noCorrelations) return { detections: matches, correlations: nothing.correlations };
      const correlations: CorrelationFiring[] = [];
      for (const match of matches) {
        try {
          correlations.push(...correlation.process(match.rule.id, event, context));
        } catch {
          correlationErrors++; // The correlation engine validates its input; this is a bug guard.
        }
      }
      // Intermediate correlations of a chain feed the next one and do not alert on their own.
      return { detections: matches.filter((m) => m.standalone), correlations: correlations.length === 0 ? correlations : correlations.filter((f) => !ruleSet.correlationOnly.has(f.rule.id)) };
    },
    quarantine: (ruleId, reason) => detection.quarantine(ruleId, reason),
    quarantined: () => detection.quarantined(),
    stats: () => ({ ...correlation.stats(), ruleErrors: detection.ruleErrors + correlationErrors }),
    exportState: () => correlation.exportState(),
    importState: (state) => correlation.importState(state),
  };
}
