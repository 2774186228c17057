// One YAML document → one rule of the right kind (detection, correlation or filter), or diagnostics.
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics.ts';
import type { Logsource, SigmaRule } from '../ast.ts';
import { parseCorrelationSection } from '../correlation/index.ts';
import { describe, isRecord, readStringList } from './fields.ts';
import { parseDetection } from './detection.ts';
import { readMeta, type DocumentPlace } from './meta.ts';

export type ParsedDocument = { rule?: SigmaRule; ruleId: string; diagnostics: Diagnostic[] };

export function parseRuleDocument(doc: unknown, place: DocumentPlace): ParsedDocument {
  if (!isRecord(doc)) {
    const d = diagnostic(DiagnosticCodes.notAMapping, `a rule document must be a mapping, not ${describe(doc)}`, { source: place.source, line: place.line });
    return { ruleId: `${place.source}:${place.line}`, diagnostics: [d] };
  }
  const { meta, diagnostics } = readMeta(doc, place);
  const ruleId = meta.id;
  const fail = (keyPath: string, message: string, code: Diagnostic['code']) =>
    diagnostics.push(diagnostic(code, message, { source: place.source, ruleId, keyPath, line: place.lineOf(keyPath.split('.')) }));

  if ('action' in doc) {
    fail('action', 'rule collections (action: global/reset/repeat) are Sigma 1 syntax, not part of Sigma 2', DiagnosticCodes.unknownRuleKind);
    return { ruleId, diagnostics };
  }
  if ('correlation' in doc) {
    const parsed = parseCorrelationSection(doc.correlation, { source: place.source, ruleId, line: place.line });
    if (!parsed.ok) return { ruleId, diagnostics: [...diagnostics, ...parsed.diagnostics] };
    if (diagnostics.length > 0) return { ruleId, diagnostics };
    return { ruleId, rule: { ...meta, kind: 'correlation', correlation: parsed.correlation }, diagnostics };
  }
  if ('filter' in doc && !('detection' in doc)) {
    const logsource = readLogsource(doc.logsource, fail, { required: false });
    const filter = doc.filter;
    if (!isRecord(filter)) {
      fail('filter', `must be a mapping with rules, selections and a condition, not ${describe(filter)}`, DiagnosticCodes.invalidField);
      return { ruleId, diagnostics };
    }
    const rules = readStringList(filter.rules);
    if (!rules.ok) fail('filter.rules', rules.reason, DiagnosticCodes.invalidField);
    else if (rules.value.length === 0) fail('filter.rules', 'must name at least one rule by id or name', DiagnosticCodes.missingField);
    const parsed = parseDetection(filter, { ...place, ruleId, basePath: ['filter'] }, { reserved: ['rules'] });
    diagnostics.push(...parsed.diagnostics);
    if (diagnostics.length > 0 || !parsed.detection || !rules.ok) return { ruleId, diagnostics };
    return { ruleId, rule: { ...meta, kind: 'filter', logsource: logsource ?? {}, filter: { rules: rules.value, detection: parsed.detection } }, diagnostics };
  }
  const logsource = readLogsource(doc.logsource, fail, { required: true });
  const parsed = parseDetection(doc.detection, { ...place, ruleId, basePath: ['detection'] });
  diagnostics.push(...parsed.diagnostics);
  const fields = readStringList(doc.fields);
  if (!fields.ok) fail('fields', fields.reason, DiagnosticCodes.invalidField);
  if (diagnostics.length > 0 || !parsed.detection || !logsource) return { ruleId, diagnostics };
  return {
    ruleId,
    rule: { ...meta, kind: 'detection', logsource, detection: parsed.detection, fields: fields.ok ? fields.value : [] },
    diagnostics,
  };
}

function readLogsource(
  value: unknown,
  fail: (keyPath: string, message: string, code: Diagnostic['code']) => void,
  options: { required: boolean },
): Logsource | undefined {
  if (value === undefined || value === null) {
    if (options.required) fail('logsource', 'is missing', DiagnosticCodes.missingField);
    return options.required ? undefined : {};
  }
  if (!isRecord(value)) {
    fail('logsource', `must be a mapping, not ${describe(value)}`, DiagnosticCodes.invalidField);
    return undefined;
  }
  const logsource: Logsource = {};
  for (const key of ['product', 'category', 'service'] as const) {
    const item = value[key];
    if (item === undefined || item === null) continue;
    if (typeof item !== 'string') {
      fail(`logsource.${key}`, `must be a string, not ${describe(item)}`, DiagnosticCodes.invalidField);
      return undefined;
    }
    logsource[key] = item.toLowerCase();
  }
  return logsource;
}
