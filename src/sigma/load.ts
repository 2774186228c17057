// Sources in, compiled rule set out: parse every document, compile every rule, and account for each
// one (accepted, or rejected with where and why).
import type { Diagnostic } from './diagnostics.ts';
import { parseRuleSource, type RuleSourceText } from './parse/index.ts';
import { compileRuleSet, type CompileOptions, type RuleSet } from './compile/rule-set.ts';
import type { SigmaRule } from './ast.ts';
import { formatReason } from './report.ts';

export type RuleStatus = { source: string; id: string; title?: string; line: number; ok: boolean; reason?: string; diagnostics: Diagnostic[] };
export type LoadResult = {
  ruleSet: RuleSet;
  /** Every problem found, for every rejected rule and unreadable file. */
  diagnostics: Diagnostic[];
  /** One entry per rule document (and one per file that could not be read as YAML). */
  rules: RuleStatus[];
  /** The accepted rules as parsed (plain data): for callers that compile a subset elsewhere (selectDetections). */
  parsed: SigmaRule[];
};

export function loadRuleSet(sources: readonly RuleSourceText[], options: CompileOptions = {}): LoadResult {
  const statuses: RuleStatus[] = [];
  const parsed: { rule: SigmaRule; status: RuleStatus }[] = [];
  for (const source of sources) {
    const { entries, diagnostics } = parseRuleSource(source);
    for (const d of diagnostics) {
      statuses.push({ source: source.name, id: d.ruleId ?? '-', line: d.line ?? 0, ok: false, reason: formatReason(d), diagnostics: [d] });
    }
    for (const entry of entries) {
      const status: RuleStatus = { source: entry.source, id: entry.ruleId, line: entry.line, ok: entry.rule !== undefined, diagnostics: entry.diagnostics };
      if (entry.rule) { status.title = entry.rule.title; parsed.push({ rule: entry.rule, status }); }
      else status.reason = formatReason(entry.diagnostics[0]);
      statuses.push(status);
    }
  }
  const { ruleSet, rejected } = compileRuleSet(parsed.map((p) => p.rule), options);
  for (const { rule, status } of parsed) {
    const problems = rejected.get(rule);
    if (problems) { status.ok = false; status.diagnostics = problems; status.reason = formatReason(problems[0]); }
  }
  return { ruleSet, diagnostics: statuses.flatMap((s) => (s.ok ? [] : s.diagnostics)), rules: statuses, parsed: parsed.filter((p) => p.status.ok).map((p) => p.rule) };
}
