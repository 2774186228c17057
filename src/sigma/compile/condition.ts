// A parsed condition bound to the rule's compiled selections: a predicate over the event view.
import type { ConditionNode } from './condition-parser.ts';
import { compilePattern, testPattern } from './string-pattern.ts';
import { AnyChars, type SigmaString } from './sigma-string.ts';

import type { Predicate } from './field-condition.ts';
import { needsAll, needsAny, type Needs } from './necessary.ts';

export function bindCondition(node: ConditionNode, selections: ReadonlyMap<string, Predicate>):
  { ok: true; predicate: Predicate } | { ok: false; reason: string } {
  try {
    return { ok: true, predicate: bind(node, selections) };
  } catch (e) {
    if (e instanceof BindError) return { ok: false, reason: e.message };
    throw e;
  }
}

function bind(node: ConditionNode, selections: ReadonlyMap<string, Predicate>): Predicate {
  switch (node.kind) {
    case 'and': { const l = bind(node.left, selections); const r = bind(node.right, selections); return (v) => l(v) && r(v); }
    case 'or': { const l = bind(node.left, selections); const r = bind(node.right, selections); return (v) => l(v) || r(v); }
    case 'not': { const o = bind(node.operand, selections); return (v) => !o(v); }
    case 'identifier': {
      const predicate = selections.get(node.name);
      if (!predicate) throw new BindError(`condition refers to "${node.name}", which is not a search identifier of this rule`);
      return predicate;
    }
    case 'quantified': {
      const names = matchingNames(node.pattern, [...selections.keys()]);
      if (names.length === 0) throw new BindError(`"${node.pattern}" matches no search identifier of this rule`);
      const parts = names.map((n) => selections.get(n)!);
      if (parts.length === 1) return parts[0]!;
      return node.quantifier === 'all' ? (v) => parts.every((p) => p(v)) : (v) => parts.some((p) => p(v));
    }
  }
}

/** `them` is every identifier not starting with `_`; a pattern's `*` matches any characters. */
export function matchingNames(pattern: string, names: readonly string[]): string[] {
  if (pattern.toLowerCase() === 'them') return names.filter((n) => !n.startsWith('_'));
  if (!pattern.includes('*')) return names.filter((n) => n === pattern);
  // Linear-time wildcard matching: a hostile pattern like `a*a*a*…b` cannot stall compilation.
  const tokens: SigmaString = pattern.split('*').flatMap((part, i): SigmaString => (i === 0 ? [part] : [AnyChars, part])).filter((t) => t !== '');
  const compiled = compilePattern(tokens, (s) => s);
  return names.filter((n) => testPattern(compiled, n));
}

class BindError extends Error {}

/** What a match of the condition needs (see necessary.ts); `not` needs nothing we can scan for. */
export function needsOfCondition(node: ConditionNode, selections: ReadonlyMap<string, Needs>): Needs {
  switch (node.kind) {
    case 'and': return needsAll([needsOfCondition(node.left, selections), needsOfCondition(node.right, selections)]);
    case 'or': return needsAny([needsOfCondition(node.left, selections), needsOfCondition(node.right, selections)]);
    case 'not': return [];
    case 'identifier': return selections.get(node.name) ?? [];
    case 'quantified': {
      const parts = matchingNames(node.pattern, [...selections.keys()]).map((n) => selections.get(n) ?? []);
      return node.quantifier === 'all' ? needsAll(parts) : needsAny(parts);
    }
  }
}
