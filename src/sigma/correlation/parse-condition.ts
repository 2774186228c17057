// `condition:` of a correlation: comparisons that must all hold (two make a range), and `field` for the
// value_* types. Temporal types may leave it out: then every referenced rule must be seen.
import { ComparisonOperators, type ComparisonOperator, type CorrelationCondition, type CorrelationType } from '../ast.ts';
import { DiagnosticCodes } from '../diagnostics.ts';
import { maxDistinctThreshold, maxFieldNameLength } from './limits.ts';
import { describe, isMapping, type Problem } from './problems.ts';

const valueTypes: ReadonlySet<CorrelationType> = new Set(['value_count', 'value_sum', 'value_avg', 'value_percentile']);
const temporalTypes: ReadonlySet<CorrelationType> = new Set(['temporal', 'temporal_ordered']);

export function needsField(type: CorrelationType): boolean {
  return valueTypes.has(type);
}

export function isTemporal(type: CorrelationType): boolean {
  return temporalTypes.has(type);
}

export function parseCondition(value: unknown, type: CorrelationType, problems: Problem[]): CorrelationCondition | null {
  const keyPath = 'correlation.condition';
  if (value === undefined || value === null) {
    if (!isTemporal(type)) problems.push({ code: DiagnosticCodes.missingField, keyPath, message: `is required for type ${type}` });
    return null;
  }
  if (!isMapping(value)) {
    problems.push({ code: DiagnosticCodes.invalidValue, keyPath, message: `must be a mapping such as {gte: 10}, got ${describe(value)}` });
    return null;
  }
  const before = problems.length;
  const comparisons: CorrelationCondition['comparisons'] = [];
  let fields: string[] = [];
  for (const [key, raw] of Object.entries(value)) {
    if (key === 'field') {
      fields = parseFields(raw, type, problems);
    } else if ((ComparisonOperators as readonly string[]).includes(key)) {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) {
        problems.push({ code: DiagnosticCodes.invalidValue, keyPath: `${keyPath}.${key}`, message: `must be a number, got ${describe(raw)}` });
      } else {
        comparisons.push({ op: key as ComparisonOperator, value: raw });
      }
    } else {
      problems.push({ code: DiagnosticCodes.invalidField, keyPath: `${keyPath}.${key}`, message: `is not a condition key (expected gt, gte, lt, lte, eq, neq or field)` });
    }
  }
  if (comparisons.length === 0 && problems.length === before) {
    problems.push({ code: DiagnosticCodes.missingField, keyPath, message: 'needs at least one comparison (gt, gte, lt, lte, eq or neq)' });
  }
  if (needsField(type) && value['field'] === undefined) {
    problems.push({ code: DiagnosticCodes.missingField, keyPath: `${keyPath}.field`, message: `is required for type ${type}` });
  }
  if (type === 'value_count') checkDistinctBound(comparisons, problems);
  checkSatisfiable(comparisons, problems);
  return problems.length === before ? { comparisons, fields } : null;
}

function parseFields(raw: unknown, type: CorrelationType, problems: Problem[]): string[] {
  const keyPath = 'correlation.condition.field';
  if (!needsField(type)) {
    problems.push({ code: DiagnosticCodes.invalidField, keyPath, message: `has no meaning for type ${type} (only value_count, value_sum, value_avg, value_percentile)` });
    return [];
  }
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0 || !list.every((f) => typeof f === 'string' && f.length > 0 && f.length <= maxFieldNameLength)) {
    problems.push({ code: DiagnosticCodes.invalidValue, keyPath, message: `must be a field name or a non-empty list of field names, got ${describe(raw)}` });
    return [];
  }
  if (list.length > 1 && type !== 'value_count') {
    problems.push({ code: DiagnosticCodes.invalidValue, keyPath, message: `must name exactly one numeric field for type ${type}` });
    return [];
  }
  if (new Set(list).size !== list.length) {
    problems.push({ code: DiagnosticCodes.invalidValue, keyPath, message: 'names the same field twice' });
    return [];
  }
  return list as string[];
}

function checkDistinctBound(comparisons: CorrelationCondition['comparisons'], problems: Problem[]): void {
  for (const c of comparisons) {
    if (c.value > maxDistinctThreshold) {
      problems.push({
        code: DiagnosticCodes.limitExceeded,
        keyPath: `correlation.condition.${c.op}`,
        message: `${c.value} distinct values is above the supported ${maxDistinctThreshold} (each group would have to remember them all)`,
      });
    }
  }
}

/** A range whose bounds cannot both hold is a content mistake: say so instead of never firing. */
function checkSatisfiable(comparisons: CorrelationCondition['comparisons'], problems: Problem[]): void {
  let low = -Infinity;
  let lowOpen = false;
  let high = Infinity;
  let highOpen = false;
  for (const { op, value } of comparisons) {
    if ((op === 'gt' || op === 'gte' || op === 'eq') && (value > low || (value === low && op === 'gt'))) {
      low = value;
      lowOpen = op === 'gt';
    }
    if ((op === 'lt' || op === 'lte' || op === 'eq') && (value < high || (value === high && op === 'lt'))) {
      high = value;
      highOpen = op === 'lt';
    }
  }
  const empty = low > high || (low === high && (lowOpen || highOpen)) ||
    (low === high && comparisons.some((c) => c.op === 'neq' && c.value === low));
  if (empty) {
    problems.push({ code: DiagnosticCodes.invalidValue, keyPath: 'correlation.condition', message: 'no value can satisfy all of its comparisons' });
  }
}
