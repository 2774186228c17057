// Coded diagnostics: every problem a rule can have, with where (file, rule, key path, line) and why.
// Domain code returns these; boundaries (CLI, agent, server) turn them into exit codes and log lines.

export const DiagnosticCodes = {
  yamlSyntax: 'yaml-syntax',
  notAMapping: 'not-a-mapping',
  missingField: 'missing-field',
  invalidField: 'invalid-field',
  unknownRuleKind: 'unknown-rule-kind',
  invalidModifier: 'invalid-modifier',
  invalidValue: 'invalid-value',
  invalidRegex: 'invalid-regex',
  unsafeRegex: 'unsafe-regex',
  unresolvedPlaceholder: 'unresolved-placeholder',
  conditionSyntax: 'condition-syntax',
  unknownIdentifier: 'unknown-identifier',
  unknownRuleReference: 'unknown-rule-reference',
  duplicateRuleId: 'duplicate-rule-id',
  correlationCycle: 'correlation-cycle',
  limitExceeded: 'limit-exceeded',
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

export type Diagnostic = {
  code: DiagnosticCode;
  /** Why, in one sentence. */
  message: string;
  /** The file (or other source name) the rule came from. */
  source?: string;
  /** The rule's id (or title, when it has no id). */
  ruleId?: string;
  /** Path of the offending key inside the rule document, e.g. `detection.selection.Image|re`. */
  keyPath?: string;
  /** 1-based line in the source, when known. */
  line?: number;
};

export function diagnostic(code: DiagnosticCode, message: string, where: Omit<Diagnostic, 'code' | 'message'> = {}): Diagnostic {
  return { code, message, ...where };
}

/** `file:line: rule: key: message`, leaving out the parts that are unknown. */
export function formatDiagnostic(d: Diagnostic): string {
  const location = d.source ? (d.line ? `${d.source}:${d.line}` : d.source) : undefined;
  const key = d.keyPath ? `${d.keyPath}: ` : '';
  return [location, d.ruleId].filter(Boolean).join(': ') + (location || d.ruleId ? ': ' : '') + key + d.message;
}
