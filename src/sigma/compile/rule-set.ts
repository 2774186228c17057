// Parsed rules → an immutable compiled rule set. Each rule compiles alone: one that fails is rejected
// with its diagnostics and every other rule still loads.
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics.ts';
import type { CorrelationRule, DetectionRule, FilterRule, Logsource, RuleMeta, SigmaRule } from '../ast.ts';
import { compileCorrelations, correlationOnlyRuleIds, type CompiledCorrelation } from '../correlation/index.ts';
import { FieldTable } from './event-view.ts';
import { compileDetection } from './detection.ts';
import type { Predicate } from './field-condition.ts';
import type { Needs } from './necessary.ts';

export type CompileOptions = {
  /** Values for `%name%` placeholders of the `expand` modifier; a rule using one that is missing is rejected. */
  placeholders?: Readonly<Record<string, readonly string[]>>;
};

export type CompiledRule = {
  meta: RuleMeta;
  logsource: Logsource;
  predicate: Predicate;
  /** Filters that apply to this rule: the rule matches only when none of them does. */
  filters: Predicate[];
  /** false when the rule only feeds correlations (their `generate` is false). */
  standalone: boolean;
  /** Alternative literal sets, each necessary for a match (empty: always evaluate). See necessary.ts. */
  needs: Needs;
};

export type RuleSet = {
  /** Every accepted rule of every kind, in load order. */
  readonly rules: readonly RuleMeta[];
  readonly detections: readonly CompiledRule[];
  readonly correlations: readonly CompiledCorrelation[];
  /** Rules (detections and correlations) that only feed other correlations: they do not alert alone. */
  readonly correlationOnly: ReadonlySet<string>;
  readonly fields: FieldTable;
};

export function compileRuleSet(rules: readonly SigmaRule[], options: CompileOptions = {}): { ruleSet: RuleSet; rejected: Map<SigmaRule, Diagnostic[]> } {
  const fields = new FieldTable();
  const ctx = { fields, placeholders: new Map(Object.entries(options.placeholders ?? {})) };
  const rejected = new Map<SigmaRule, Diagnostic[]>();
  const seen = new Map<string, SigmaRule>();
  for (const rule of rules) {
    const previous = seen.get(rule.id);
    if (previous) {
      rejected.set(rule, [diagnostic(DiagnosticCodes.duplicateRuleId, `rule id ${rule.id} is already used by "${previous.title}" (${previous.source}:${previous.line})`, { source: rule.source, ruleId: rule.id, keyPath: 'id', line: rule.line })]);
    } else seen.set(rule.id, rule);
  }
  const compiled = new Map<DetectionRule, CompiledRule>();
  for (const rule of rules) {
    if (rule.kind !== 'detection' || rejected.has(rule)) continue;
    const result = compileDetection(rule.detection, ctx, { source: rule.source, ruleId: rule.id, line: rule.line, basePath: 'detection' });
    if (!result.ok) { rejected.set(rule, result.diagnostics); continue; }
    compiled.set(rule, { meta: metaOf(rule), logsource: rule.logsource, predicate: result.predicate, filters: [], standalone: true, needs: result.needs });
  }
  const byRef = new Map<string, CompiledRule>();
  for (const c of compiled.values()) { byRef.set(c.meta.id, c); if (c.meta.name) byRef.set(c.meta.name, c); }
  for (const rule of rules) {
    if (rule.kind !== 'filter' || rejected.has(rule)) continue;
    const problems = applyFilter(rule, ctx, byRef);
    if (problems.length > 0) rejected.set(rule, problems);
  }
  const correlationRules = rules.filter((r): r is CorrelationRule => r.kind === 'correlation' && !rejected.has(r));
  const known = new Map<string, RuleMeta>();
  for (const rule of [...compiled.keys(), ...correlationRules]) { known.set(rule.id, metaOf(rule)); if (rule.name) known.set(rule.name, metaOf(rule)); }
  const correlations = compileCorrelations(correlationRules, known);
  for (const d of correlations.diagnostics) {
    const rule = correlationRules.find((r) => r.id === d.ruleId);
    if (rule) rejected.set(rule, [...(rejected.get(rule) ?? []), d]);
  }
  const hidden = correlationOnlyRuleIds(correlations.compiled);
  for (const c of compiled.values()) c.standalone = !hidden.has(c.meta.id);
  const ruleSet: RuleSet = {
    rules: rules.filter((r) => !rejected.has(r)).map(metaOf),
    detections: [...compiled.values()],
    correlations: correlations.compiled,
    correlationOnly: hidden,
    fields,
  };
  return { ruleSet, rejected };
}

function applyFilter(rule: FilterRule, ctx: Parameters<typeof compileDetection>[1], byRef: ReadonlyMap<string, CompiledRule>): Diagnostic[] {
  const result = compileDetection(rule.filter.detection, ctx, { source: rule.source, ruleId: rule.id, line: rule.line, basePath: 'filter' });
  if (!result.ok) return result.diagnostics;
  const targets = rule.filter.rules.map((ref) => byRef.get(ref));
  const unknown = rule.filter.rules.filter((_, i) => targets[i] === undefined);
  if (unknown.length === rule.filter.rules.length) {
    return [diagnostic(DiagnosticCodes.unknownRuleReference, `filter refers to no loaded rule (${unknown.join(', ')})`, { source: rule.source, ruleId: rule.id, keyPath: 'filter.rules', line: rule.line })];
  }
  for (const target of targets) target?.filters.push(result.predicate);
  return [];
}

const metaCache = new WeakMap<SigmaRule, RuleMeta>();
function metaOf(rule: SigmaRule): RuleMeta {
  let meta = metaCache.get(rule);
  if (!meta) {
    const { id, name, title, level, status, description, author, license, tags, references, falsepositives, source, line } = rule;
    meta = Object.freeze({ id, title, tags, references, falsepositives, source, line, ...(name !== undefined && { name }), ...(level !== undefined && { level }), ...(status !== undefined && { status }), ...(description !== undefined && { description }), ...(author !== undefined && { author }), ...(license !== undefined && { license }) });
    metaCache.set(rule, meta);
  }
  return meta;
}
