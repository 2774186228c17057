// Validates the `correlation:` mapping of a rule document (already plain data from `yaml`) against the
// shape in the specification, reporting every problem with its key path.
import { CorrelationTypes, type CorrelationRule, type CorrelationType } from '../ast.ts';
import { DiagnosticCodes, type Diagnostic } from '../diagnostics.ts';
import { maxAliases, maxFieldNameLength, maxGroupByFields, maxReferencedRules } from './limits.ts';
import { parseCondition } from './parse-condition.ts';
import { parseTimespan } from './parse-timespan.ts';
import { describe, isMapping, toDiagnostics, type Problem, type RuleLocation } from './problems.ts';

export type CorrelationSection = CorrelationRule['correlation'];
export type ParseCorrelationResult = { ok: true; correlation: CorrelationSection } | { ok: false; diagnostics: Diagnostic[] };

const knownKeys = new Set(['type', 'rules', 'group-by', 'timespan', 'condition', 'aliases', 'generate']);

export function parseCorrelationSection(value: unknown, where: RuleLocation): ParseCorrelationResult {
  const problems: Problem[] = [];
  if (!isMapping(value)) {
    problems.push({ code: DiagnosticCodes.notAMapping, keyPath: 'correlation', message: `must be a mapping, got ${describe(value)}` });
    return { ok: false, diagnostics: toDiagnostics(problems, where) };
  }
  for (const key of Object.keys(value)) {
    // An unknown key may be a typo (`groupby`) that silently changes what fires: refuse it.
    if (!knownKeys.has(key)) problems.push({ code: DiagnosticCodes.invalidField, keyPath: `correlation.${key}`, message: 'is not a key of a correlation section' });
  }
  const type = parseType(value['type'], problems);
  const rules = parseRules(value['rules'], problems);
  const groupBy = parseGroupBy(value['group-by'], problems);
  const timespanMs = parseTimespanKey(value['timespan'], problems);
  const condition = type ? parseCondition(value['condition'], type, problems) : null;
  const aliases = parseAliases(value['aliases'], rules, problems);
  const generate = parseGenerate(value['generate'], problems);
  if (problems.length > 0 || !type || !rules || timespanMs === undefined) {
    return { ok: false, diagnostics: toDiagnostics(problems, where) };
  }
  return { ok: true, correlation: { type, rules, groupBy, timespanMs, condition, aliases, generate } };
}

function parseType(raw: unknown, problems: Problem[]): CorrelationType | undefined {
  if (raw === undefined) {
    problems.push({ code: DiagnosticCodes.missingField, keyPath: 'correlation.type', message: 'is required' });
  } else if (typeof raw !== 'string' || !(CorrelationTypes as readonly string[]).includes(raw)) {
    problems.push({ code: DiagnosticCodes.invalidValue, keyPath: 'correlation.type', message: `must be one of ${CorrelationTypes.join(', ')}, got ${describe(raw)}` });
  } else {
    return raw as CorrelationType;
  }
  return undefined;
}

function parseRules(raw: unknown, problems: Problem[]): string[] | undefined {
  const keyPath = 'correlation.rules';
  if (raw === undefined || raw === null) {
    problems.push({ code: DiagnosticCodes.missingField, keyPath, message: 'is required (the ids or names of the correlated rules)' });
    return undefined;
  }
  const list = Array.isArray(raw) ? raw : [raw];
  const before = problems.length;
  if (list.length === 0) problems.push({ code: DiagnosticCodes.invalidValue, keyPath, message: 'must name at least one rule' });
  if (list.length > maxReferencedRules) {
    problems.push({ code: DiagnosticCodes.limitExceeded, keyPath, message: `names ${list.length} rules; at most ${maxReferencedRules} are supported` });
    return undefined;
  }
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const itemPath = Array.isArray(raw) ? `${keyPath}[${i}]` : keyPath;
    if (typeof item !== 'string' || item.length === 0) {
      problems.push({ code: DiagnosticCodes.invalidValue, keyPath: itemPath, message: `must be a rule id or name, got ${describe(item)}` });
    } else if (seen.has(item)) {
      problems.push({ code: DiagnosticCodes.invalidValue, keyPath: itemPath, message: `names "${item}" twice` });
    } else {
      seen.add(item);
    }
  });
  return problems.length === before ? (list as string[]) : undefined;
}

function parseGroupBy(raw: unknown, problems: Problem[]): string[] {
  const keyPath = 'correlation.group-by';
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push({ code: DiagnosticCodes.invalidValue, keyPath, message: `must be a list of field names, got ${describe(raw)}` });
    return [];
  }
  if (raw.length > maxGroupByFields) {
    problems.push({ code: DiagnosticCodes.limitExceeded, keyPath, message: `lists ${raw.length} fields; at most ${maxGroupByFields} are supported` });
    return [];
  }
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    if (typeof item !== 'string' || item.length === 0 || item.length > maxFieldNameLength) {
      problems.push({ code: DiagnosticCodes.invalidValue, keyPath: `${keyPath}[${i}]`, message: `must be a field name, got ${describe(item)}` });
    } else if (seen.has(item)) {
      problems.push({ code: DiagnosticCodes.invalidValue, keyPath: `${keyPath}[${i}]`, message: `lists "${item}" twice` });
    } else {
      seen.add(item);
    }
  });
  return [...seen];
}

function parseTimespanKey(raw: unknown, problems: Problem[]): number | undefined {
  if (raw === undefined || raw === null) {
    problems.push({ code: DiagnosticCodes.missingField, keyPath: 'correlation.timespan', message: 'is required (e.g. "5m")' });
    return undefined;
  }
  const result = parseTimespan(raw);
  if (result.ok) return result.ms;
  problems.push({ code: DiagnosticCodes.invalidValue, keyPath: 'correlation.timespan', message: result.reason });
  return undefined;
}

function parseAliases(raw: unknown, rules: readonly string[] | undefined, problems: Problem[]): Map<string, Map<string, string>> {
  const aliases = new Map<string, Map<string, string>>();
  const keyPath = 'correlation.aliases';
  if (raw === undefined || raw === null) return aliases;
  if (!isMapping(raw)) {
    problems.push({ code: DiagnosticCodes.invalidValue, keyPath, message: `must map alias names to {rule: field} mappings, got ${describe(raw)}` });
    return aliases;
  }
  const entries = Object.entries(raw);
  if (entries.length > maxAliases) {
    problems.push({ code: DiagnosticCodes.limitExceeded, keyPath, message: `defines ${entries.length} aliases; at most ${maxAliases} are supported` });
    return aliases;
  }
  for (const [alias, mapping] of entries) {
    if (!isMapping(mapping) || Object.keys(mapping).length === 0) {
      problems.push({ code: DiagnosticCodes.invalidValue, keyPath: `${keyPath}.${alias}`, message: `must map rule names to field names, got ${describe(mapping)}` });
      continue;
    }
    const perRule = new Map<string, string>();
    for (const [rule, field] of Object.entries(mapping)) {
      const entryPath = `${keyPath}.${alias}.${rule}`;
      if (rules && !rules.includes(rule)) {
        problems.push({ code: DiagnosticCodes.unknownRuleReference, keyPath: entryPath, message: `"${rule}" is not one of correlation.rules` });
      } else if (typeof field !== 'string' || field.length === 0 || field.length > maxFieldNameLength) {
        problems.push({ code: DiagnosticCodes.invalidValue, keyPath: entryPath, message: `must be a field name, got ${describe(field)}` });
      } else {
        perRule.set(rule, field);
      }
    }
    aliases.set(alias, perRule);
  }
  return aliases;
}

function parseGenerate(raw: unknown, problems: Problem[]): boolean {
  if (raw === undefined || raw === null) return false;
  if (typeof raw === 'boolean') return raw;
  problems.push({ code: DiagnosticCodes.invalidValue, keyPath: 'correlation.generate', message: `must be true or false, got ${describe(raw)}` });
  return false;
}
