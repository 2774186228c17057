// A detection section (selections + conditions) → one predicate, or the reasons it cannot compile.
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { DiagnosticCodes } from '../diagnostics.ts';
import type { Detection, Selection } from '../ast.ts';
import { compileFieldCondition, type CompileContext, type Predicate } from './field-condition.ts';
import { needsAll, needsAny, type Needs } from './necessary.ts';
import { needsOfCondition } from './condition.ts';
import { parseCondition } from './condition-parser.ts';
import { bindCondition } from './condition.ts';

export type RulePlace = { source: string; ruleId: string; line: number; basePath: string };

export function compileDetection(detection: Detection, ctx: CompileContext, place: RulePlace):
  { ok: true; predicate: Predicate; needs: Needs } | { ok: false; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const where = (keyPath: string) => ({ source: place.source, ruleId: place.ruleId, keyPath: `${place.basePath}.${keyPath}`, line: place.line });
  const selections = new Map<string, Predicate>();
  const selectionNeeds = new Map<string, Needs>();
  for (const [name, selection] of detection.selections) {
    const compiled = compileSelection(selection, ctx, (keyPath, code, reason, line) => diagnostics.push(diagnostic(code, reason, { ...where(keyPath), ...(line !== undefined && { line }) })));
    if (compiled) { selections.set(name, compiled.predicate); selectionNeeds.set(name, compiled.needs); }
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const predicates: Predicate[] = [];
  const needs: Needs[] = [];
  for (const [index, text] of detection.conditions.entries()) {
    const keyPath = detection.conditions.length > 1 ? `condition.${index}` : 'condition';
    const parsed = parseCondition(text);
    if (!parsed.ok) { diagnostics.push(diagnostic(DiagnosticCodes.conditionSyntax, parsed.reason, where(keyPath))); continue; }
    const bound = bindCondition(parsed.node, selections);
    if (!bound.ok) { diagnostics.push(diagnostic(DiagnosticCodes.unknownIdentifier, bound.reason, where(keyPath))); continue; }
    predicates.push(bound.predicate);
    needs.push(needsOfCondition(parsed.node, selectionNeeds));
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const predicate: Predicate = predicates.length === 1 ? predicates[0]! : (view) => predicates.some((p) => p(view));
  // One condition (the usual case) keeps all its alternatives; a list of conditions is an OR.
  return { ok: true, predicate, needs: needs.length === 1 ? needs[0]! : needsAny(needs) };
}

type Report = (keyPath: string, code: Diagnostic['code'], reason: string, line?: number) => void;

type CompiledSelection = { predicate: Predicate; needs: Needs };

function compileSelection(selection: Selection, ctx: CompileContext, report: Report): CompiledSelection | undefined {
  if (selection.kind === 'or') {
    const compiled = selection.alternatives.map((a) => compileSelection(a, ctx, report));
    if (compiled.some((p) => p === undefined)) return undefined;
    const ps = (compiled as CompiledSelection[]).map((c) => c.predicate);
    const needs = needsAny((compiled as CompiledSelection[]).map((c) => c.needs));
    return { predicate: ps.length === 1 ? ps[0]! : (view) => ps.some((p) => p(view)), needs };
  }
  const parts: Predicate[] = [];
  const partNeeds: Needs[] = [];
  for (const condition of selection.conditions) {
    const compiled = compileFieldCondition(condition, ctx);
    if (!compiled.ok) { report(condition.keyPath, compiled.code, compiled.reason, condition.line); continue; }
    parts.push(compiled.value.predicate);
    partNeeds.push(compiled.value.needs);
  }
  if (parts.length !== selection.conditions.length) return undefined;
  const needs = needsAll(partNeeds);
  if (parts.length === 1) return { predicate: parts[0]!, needs };
  if (parts.length === 2) { const [a, b] = parts as [Predicate, Predicate]; return { predicate: (view) => a(view) && b(view), needs }; }
  return { predicate: (view) => parts.every((p) => p(view)), needs };
}
