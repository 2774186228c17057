// Problems found while reading a correlation section, collected so that one pass reports them all.
import { diagnostic, type Diagnostic, type DiagnosticCode } from '../diagnostics.ts';

export type Problem = { code: DiagnosticCode; keyPath: string; message: string };

export type RuleLocation = { source: string; ruleId: string; line: number };

export function toDiagnostics(problems: readonly Problem[], where: RuleLocation): Diagnostic[] {
  return problems.map((p) => diagnostic(p.code, p.message, { source: where.source, ruleId: where.ruleId, line: where.line, keyPath: p.keyPath }));
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}
