// The agent's main path: a sensor event in, the engine asked, alerts out. Runs on the main thread for
// every event; nothing that arrives here may throw out of it (an error is counted and the event dropped).
import type { SensorEvent } from '../events/index.ts';
import { logsourceOf } from '../events/index.ts';
import { createEvaluator, type Evaluator, type RuleSet, type SigmaRule } from '../sigma/index.ts';
import { correlationAlert, detectionAlert, type AlertRecord } from './alert.ts';
import { createRuleBudget, type RuleBudget } from './rule-budget.ts';

export type LoadedContent = {
  ruleSet: RuleSet;
  /** The pack's version (semver) when it came from the content store; null for `--rules`. */
  version: string | null;
  packName: string | null;
  /** For people: "ring3-starter@1.0.0" or "3 rule files". */
  label: string;
  rejected: { source: string; id: string; reason: string }[];
  /** The parsed rules that can deny an exec, and their filters: what the exec decider compiles. */
  preventionRules: SigmaRule[];
};

export type Engine = { content: LoadedContent; evaluator: Evaluator; budget: RuleBudget };

export type EngineSettings = { ruleBudgetMs: number; sampleEvery: number; quarantineAfter: number; maxCorrelationGroups: number; clock: () => number; onQuarantine?: (ruleId: string, reason: string) => void };

export function buildEngine(content: LoadedContent, settings: EngineSettings, previous?: Engine): Engine {
  const evaluator = createEvaluator(content.ruleSet, { maxCorrelationGroups: settings.maxCorrelationGroups });
  // Correlation windows survive a content swap; groups of correlations that changed are dropped.
  if (previous) evaluator.importState(previous.evaluator.exportState());
  const budget = createRuleBudget({
    ruleSet: content.ruleSet, evaluator, budgetMs: settings.ruleBudgetMs, sampleEvery: settings.sampleEvery,
    quarantineAfter: settings.quarantineAfter, clock: settings.clock, ...(settings.onQuarantine ? { onQuarantine: settings.onQuarantine } : {}),
  });
  return { content, evaluator, budget };
}

export type PipelineDeps = {
  hostName: string;
  now: () => Date;
  newId: () => string;
  onAlert: (record: AlertRecord) => void;
  onEvent?: (event: SensorEvent) => void;
};

export type PipelineCounters = {
  events: number;
  eventsByKind: Record<string, number>;
  alerts: number;
  /** Alerts per rule id since the agent started. */
  alertsByRule: Record<string, number>;
  errors: number;
  lastError?: string;
};

export type Pipeline = {
  handle(event: SensorEvent): void;
  engine(): Engine;
  setEngine(engine: Engine): void;
  counters(): PipelineCounters;
};

export function createPipeline(initial: Engine, deps: PipelineDeps): Pipeline {
  let engine = initial;
  let index = 0;
  const counters: PipelineCounters = { events: 0, eventsByKind: {}, alerts: 0, alertsByRule: {}, errors: 0 };
  const raise = (record: AlertRecord) => {
    counters.alerts += 1;
    counters.alertsByRule[record.rule.id] = (counters.alertsByRule[record.rule.id] ?? 0) + 1;
    deps.onAlert(record);
  };
  return {
    handle(event) {
      try {
        counters.events += 1;
        counters.eventsByKind[event.kind] = (counters.eventsByKind[event.kind] ?? 0) + 1;
        deps.onEvent?.(event);
        const logsource = logsourceOf(event);
        const parsed = Date.parse(event['@timestamp']);
        const now = deps.now();
        const timeMs = Number.isFinite(parsed) ? parsed : now.getTime();
        const current = engine;
        const subject = event as unknown as Record<string, unknown>;
        const result = current.evaluator.evaluate(subject, { timeMs, eventIndex: index, logsource });
        current.budget.observe(subject, logsource, index);
        index += 1;
        if (result.detections.length === 0 && result.correlations.length === 0) return;
        const context = () => ({ id: deps.newId(), time: now.toISOString(), hostName: deps.hostName, contentVersion: current.content.version });
        for (const match of result.detections) raise(detectionAlert(match.rule, subject, context()));
        for (const firing of result.correlations) raise(correlationAlert(firing, subject, context()));
      } catch (error) {
        counters.errors += 1;
        counters.lastError = error instanceof Error ? error.message : String(error);
      }
    },
    engine: () => engine,
    setEngine(next) { engine = next; },
    counters: () => structuredClone(counters),
  };
}
