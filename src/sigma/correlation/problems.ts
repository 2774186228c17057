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

/** A short description of a value for messages: `a list`, `"abc"`, `number 5`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}
