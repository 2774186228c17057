// Parsing: rule sources (YAML text) → rule model (ast.ts) + diagnostics. No compilation here.
import type { Diagnostic } from '../diagnostics.ts';
import type { SigmaRule } from '../ast.ts';
import { readYamlDocuments } from './yaml-documents.ts';
import { parseRuleDocument } from './rule-document.ts';

export type RuleSourceText = { name: string; text: string };

/** One entry per rule document: the rule, or why it was rejected. */
export type ParsedRuleEntry = { source: string; ruleId: string; line: number; rule?: SigmaRule; diagnostics: Diagnostic[] };

export function parseRuleSource(source: RuleSourceText): { entries: ParsedRuleEntry[]; diagnostics: Diagnostic[] } {
  const { documents, diagnostics } = readYamlDocuments(source.name, source.text);
  const entries = documents.map((doc): ParsedRuleEntry => {
    const parsed = parseRuleDocument(doc.value, { source: source.name, line: doc.line, lineOf: doc.lineOf });
    return { source: source.name, ruleId: parsed.ruleId, line: doc.line, ...(parsed.rule && { rule: parsed.rule }), diagnostics: parsed.diagnostics };
  });
  return { entries, diagnostics };
}
