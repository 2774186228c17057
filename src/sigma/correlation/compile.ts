// Resolves each correlation's references (by id or name), its aliases and its chain, rejecting only the
// faulty correlations: unknown references, cycles, and correlations built on a rejected correlation.
import type { CorrelationRule, RuleMeta } from '../ast.ts';
import { diagnostic, DiagnosticCodes, type Diagnostic, type DiagnosticCode } from '../diagnostics.ts';
import type { CompiledCorrelation } from './compiled-correlation.ts';
import { nodesOnCycles } from './find-cycles.ts';

export type CompileCorrelationsResult = { compiled: CompiledCorrelation[]; diagnostics: Diagnostic[] };

type Resolved = { rule: CorrelationRule; references: RuleMeta[] };

export function compileCorrelations(rules: readonly CorrelationRule[], known: ReadonlyMap<string, RuleMeta>): CompileCorrelationsResult {
  const diagnostics: Diagnostic[] = [];
  const rejected = new Set<number>();
  const reject = (i: number, code: DiagnosticCode, message: string, keyPath?: string): void => {
    if (rejected.has(i)) return;
    rejected.add(i);
    const rule = rules[i]!;
    diagnostics.push(diagnostic(code, message, { source: rule.source, ruleId: rule.id, line: rule.line, ...(keyPath ? { keyPath } : {}) }));
  };

  const position = new Map<string, number>();
  rules.forEach((rule, i) => {
    if (position.has(rule.id)) reject(i, DiagnosticCodes.duplicateRuleId, `another correlation already uses the id "${rule.id}"`, 'id');
    else position.set(rule.id, i);
  });

  const resolved: (Resolved | undefined)[] = rules.map((rule, i) => (rejected.has(i) ? undefined : resolve(rule, i)));
  function resolve(rule: CorrelationRule, i: number): Resolved | undefined {
    const references: RuleMeta[] = [];
    const ids = new Set<string>();
    for (const [n, reference] of rule.correlation.rules.entries()) {
      const meta = known.get(reference);
      const keyPath = `correlation.rules[${n}]`;
      if (!meta) {
        reject(i, DiagnosticCodes.unknownRuleReference, `"${reference}" is neither the id nor the name of a loaded rule`, keyPath);
        return undefined;
      }
      if (ids.has(meta.id)) {
        reject(i, DiagnosticCodes.invalidValue, `"${reference}" is a rule already referenced (by its id or name)`, keyPath);
        return undefined;
      }
      ids.add(meta.id);
      references.push(meta);
    }
    return { rule, references };
  }

  // Edges of the chain graph: correlation i builds on correlation j.
  const edges = rules.map((_, i) =>
    (resolved[i]?.references ?? []).flatMap((meta) => {
      const j = position.get(meta.id);
      return j === undefined ? [] : [j];
    }),
  );
  for (const i of nodesOnCycles(edges)) {
    reject(i, DiagnosticCodes.correlationCycle, 'is part of a cycle of correlations that reference each other', 'correlation.rules');
  }
  rejectDependents(rules, edges, rejected, reject);

  const compiled: CompiledCorrelation[] = [];
  resolved.forEach((entry, i) => {
    if (entry && !rejected.has(i)) compiled.push(build(entry, known));
  });
  return { compiled, diagnostics };
}

/** A correlation built on a rejected one would silently never (or wrongly) fire: reject it, saying why. */
function rejectDependents(
  rules: readonly CorrelationRule[],
  edges: readonly number[][],
  rejected: Set<number>,
  reject: (i: number, code: DiagnosticCode, message: string, keyPath?: string) => void,
): void {
  const dependents: number[][] = rules.map(() => []);
  edges.forEach((targets, i) => targets.forEach((j) => dependents[j]!.push(i)));
  const queue = [...rejected];
  while (queue.length > 0) {
    const j = queue.pop()!;
    for (const i of dependents[j]!) {
      if (rejected.has(i)) continue;
      reject(i, DiagnosticCodes.unknownRuleReference, `references correlation "${rules[j]!.id}", which was rejected`, 'correlation.rules');
      queue.push(i);
    }
  }
}

function build({ rule, references }: Resolved, known: ReadonlyMap<string, RuleMeta>): CompiledCorrelation {
  const { kind: _kind, correlation, ...meta } = rule;
  // Alias keys may name a rule by id or by name: compare resolved ids.
  const aliasFields = new Map<string, Map<string, string>>();
  for (const [alias, perRule] of correlation.aliases) {
    const byId = new Map<string, string>();
    for (const [reference, field] of perRule) {
      const id = known.get(reference)?.id;
      if (id !== undefined) byId.set(id, field);
    }
    aliasFields.set(alias, byId);
  }
  // An alias a rule has no entry for falls back to the alias name as the field name.
  const fieldFor = (name: string, ref: RuleMeta): string => aliasFields.get(name)?.get(ref.id) ?? name;
  return {
    rule: meta,
    type: correlation.type,
    references,
    groupBy: correlation.groupBy,
    groupFields: references.map((ref) => correlation.groupBy.map((name) => fieldFor(name, ref))),
    valueFields: references.map((ref) => (correlation.condition?.fields ?? []).map((name) => fieldFor(name, ref))),
    timespanMs: correlation.timespanMs,
    condition: correlation.condition,
    generate: correlation.generate,
  };
}
