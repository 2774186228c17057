// The public surface of ring3's Sigma engine (spec v2.1). Pure: text and time in, matches out.
export type { Diagnostic, DiagnosticCode } from './diagnostics.ts';
export { DiagnosticCodes, formatDiagnostic } from './diagnostics.ts';
export type { SigmaRule, DetectionRule, CorrelationRule, FilterRule, RuleMeta, Logsource, CorrelationType, Detection, Selection } from './ast.ts';
export type { RuleSourceText, ParsedRuleEntry } from './parse/index.ts';
export { parseRuleSource } from './parse/index.ts';
export type { CompileOptions, RuleSet, CompiledRule } from './compile/rule-set.ts';
export { compileRuleSet } from './compile/rule-set.ts';
export type { SigmaEvent } from './compile/event-view.ts';
export type { LoadResult, RuleStatus } from './load.ts';
export { loadRuleSet } from './load.ts';
export { selectDetections } from './select.ts';
export type { DetectionEngine, DetectionMatch, Quarantined } from './engine/detection-engine.ts';
export { createDetectionEngine } from './engine/detection-engine.ts';
export type { Evaluator, Evaluation, EvaluationContext } from './engine/evaluator.ts';
export { createEvaluator } from './engine/evaluator.ts';
export type { CorrelationFiring } from './correlation/index.ts';
export { formatReason } from './report.ts';
