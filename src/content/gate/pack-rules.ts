// A pack's rules as the real engine sees them: the compiled rule set (loadRuleSet), plus, per rule, its
// kind, logsource, the fields its detection reads and where it was written, for tests and adversarial events.
import { compileRuleSet, loadRuleSet, formatDiagnostic } from '../../sigma/index.ts';
import type { LoadResult, RuleSet, SigmaRule } from '../../sigma/index.ts';
import { ContentCodes, contentDiagnostic } from '../diagnostics.ts';
import type { ContentDiagnostic } from '../diagnostics.ts';
import { ruleFiles } from '../bundle.ts';
import type { Pack } from '../bundle.ts';
import type { Logsource } from '../rule-tests.ts';

export type RuleInfo = { id: string; title: string; kind: SigmaRule['kind']; logsource?: Logsource; fields: string[]; file: string; line: number; rule: SigmaRule };

export type PackRules = { load: LoadResult; ruleSet: RuleSet; rules: Map<string, RuleInfo>; diagnostics: ContentDiagnostic[] };

export function compilePackRules(pack: Pick<Pack, 'files'>, placeholders?: Record<string, string[]>): PackRules {
  const sources = ruleFiles(pack).map((f) => ({ name: f.path, text: f.text }));
  const load = loadRuleSet(sources, placeholders ? { placeholders } : {});
  const diagnostics = load.rules.filter((r) => !r.ok).map((r) => contentDiagnostic(ContentCodes.ruleRejected,
    `Rule rejected by the engine: ${r.diagnostics[0] ? formatDiagnostic(r.diagnostics[0]) : r.reason ?? 'unknown reason'}`, { file: r.source, line: r.line, ruleId: r.id }));
  // Where each accepted rule was written: its load status (the rules were parsed once, by loadRuleSet).
  const placeOf = new Map(load.rules.filter((r) => r.ok).map((r) => [r.id, r]));
  const rules = new Map<string, RuleInfo>();
  for (const rule of load.parsed) {
    const place = placeOf.get(rule.id);
    rules.set(rule.id, {
      id: rule.id, title: rule.title, kind: rule.kind, rule, file: place?.source ?? '', line: place?.line ?? 0,
      ...(rule.kind !== 'correlation' ? { logsource: rule.logsource } : {}),
      fields: fieldsOf(rule),
    });
  }
  return { load, ruleSet: load.ruleSet, rules, diagnostics };
}

/** A rule set of one rule alone, so time and errors can be attributed to it. */
export function compileSingleRule(rule: SigmaRule): RuleSet {
  return compileRuleSet([rule]).ruleSet;
}

function fieldsOf(rule: SigmaRule): string[] {
  const detection = rule.kind === 'detection' ? rule.detection : rule.kind === 'filter' ? rule.filter.detection : undefined;
  if (!detection) return [];
  const fields = new Set<string>();
  const walk = (selection: unknown) => {
    const s = selection as { kind: 'and'; conditions: { field: string | null }[] } | { kind: 'or'; alternatives: unknown[] };
    if (s.kind === 'and') for (const c of s.conditions) { if (c.field !== null) fields.add(c.field); }
    else for (const alt of s.alternatives) walk(alt);
  };
  for (const selection of detection.selections.values()) walk(selection);
  return [...fields];
}
