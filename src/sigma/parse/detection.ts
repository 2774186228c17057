// Parses a `detection:` mapping (of a detection rule or a filter) into selections and conditions.
// Shape only: what modifiers mean is decided at compile time.
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics.ts';
import type { Detection, FieldCondition, Scalar, Selection } from '../ast.ts';
import { describe, isRecord } from './fields.ts';
import type { DocumentPlace } from './meta.ts';

/** Keys of a detection mapping that are not search identifiers. */
const reservedKeys = new Set(['condition', 'timeframe']);

export type DetectionContext = DocumentPlace & { ruleId: string; basePath: readonly string[] };

export function parseDetection(value: unknown, ctx: DetectionContext, options: { reserved?: readonly string[] } = {}):
  { detection?: Detection; diagnostics: Diagnostic[] } {
  const reserved = new Set([...reservedKeys, ...(options.reserved ?? [])]);
  const diagnostics: Diagnostic[] = [];
  const fail = (path: readonly (string | number)[], message: string, code: Diagnostic['code'] = DiagnosticCodes.invalidField) =>
    diagnostics.push(diagnostic(code, message, {
      source: ctx.source, ruleId: ctx.ruleId, keyPath: [...ctx.basePath, ...path].join('.'), line: ctx.lineOf([...ctx.basePath, ...path]),
    }));

  if (!isRecord(value)) {
    fail([], `must be a mapping of search identifiers and a condition, not ${describe(value)}`, value === undefined ? DiagnosticCodes.missingField : DiagnosticCodes.invalidField);
    return { diagnostics };
  }
  const conditions: string[] = [];
  const rawCondition = value.condition;
  if (rawCondition === undefined) fail(['condition'], 'is missing', DiagnosticCodes.missingField);
  else if (typeof rawCondition === 'string') conditions.push(rawCondition);
  else if (Array.isArray(rawCondition) && rawCondition.length > 0 && rawCondition.every((c) => typeof c === 'string')) conditions.push(...rawCondition);
  else fail(['condition'], 'must be a string or a non-empty list of strings');

  const selections = new Map<string, Selection>();
  for (const [name, body] of Object.entries(value)) {
    if (reserved.has(name)) continue;
    const selection = parseSelection(body, [name], fail, (path) => ctx.lineOf([...ctx.basePath, ...path]));
    if (selection) selections.set(name, selection);
  }
  if (selections.size === 0 && diagnostics.length === 0) fail([], 'defines no search identifier', DiagnosticCodes.missingField);
  if (diagnostics.length > 0) return { diagnostics };
  return { detection: { selections, conditions }, diagnostics };
}

type Fail = (path: readonly (string | number)[], message: string, code?: Diagnostic['code']) => void;
type LineOf = (path: readonly (string | number)[]) => number;

function parseSelection(body: unknown, path: (string | number)[], fail: Fail, lineOf: LineOf): Selection | undefined {
  if (isRecord(body)) return parseFieldMap(body, path, fail, lineOf);
  if (Array.isArray(body)) {
    if (body.length === 0) return fail(path, 'is an empty list'), undefined;
    const alternatives: Selection[] = [];
    const keywords: Scalar[] = [];
    for (const [index, item] of body.entries()) {
      if (isRecord(item)) {
        const group = parseFieldMap(item, [...path, index], fail, lineOf);
        if (group) alternatives.push(group);
      } else if (isScalar(item)) {
        keywords.push(item);
      } else {
        fail([...path, index], `must be a mapping or a value, not ${describe(item)}`);
      }
    }
    if (keywords.length > 0) {
      alternatives.push({ kind: 'and', conditions: [{ field: null, modifiers: [], values: keywords, keyPath: path.join('.') }] });
    }
    return alternatives.length === 1 ? alternatives[0] : { kind: 'or', alternatives };
  }
  if (typeof body === 'string' || typeof body === 'number') {
    return { kind: 'and', conditions: [{ field: null, modifiers: [], values: [body], keyPath: path.join('.') }] };
  }
  fail(path, `must be a mapping or a list, not ${describe(body)}`);
  return undefined;
}

function parseFieldMap(map: Record<string, unknown>, path: (string | number)[], fail: Fail, lineOf: LineOf): Selection | undefined {
  const conditions: FieldCondition[] = [];
  let ok = true;
  for (const [key, raw] of Object.entries(map)) {
    const keyPath = [...path, key];
    const [field = '', ...modifiers] = key.split('|');
    const values = Array.isArray(raw) ? raw : [raw];
    if (!values.every(isScalar)) {
      fail(keyPath, 'values must be strings, numbers, booleans or null, not nested lists or mappings', DiagnosticCodes.invalidValue);
      ok = false;
      continue;
    }
    if (Array.isArray(raw) && raw.length === 0) {
      fail(keyPath, 'has an empty list of values', DiagnosticCodes.invalidValue);
      ok = false;
      continue;
    }
    if (values.length > 1 && values.includes(null)) {
      fail(keyPath, 'null cannot be part of a list of values; use a separate selection', DiagnosticCodes.invalidValue);
      ok = false;
      continue;
    }
    conditions.push({ field: field === '' ? null : field, modifiers, values: values as Scalar[], keyPath: keyPath.join('.'), line: lineOf(keyPath) });
  }
  if (!ok) return undefined;
  if (conditions.length === 0) return fail(path, 'is an empty mapping'), undefined;
  return { kind: 'and', conditions };
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
