// One `field|modifiers: values` entry → a predicate over the event view.
import { DiagnosticCodes, type DiagnosticCode } from '../diagnostics.ts';
import type { FieldCondition, Scalar } from '../ast.ts';
import { EventView, type FieldSlot, type FieldTable } from './event-view.ts';
import { planModifiers, type ModifierPlan } from './modifiers.ts';
import { parseSigmaString, withLeadingWildcard, withTrailingWildcard, formatSigmaString, type SigmaString } from './sigma-string.ts';
import { base64, base64offset, expandPlaceholders, utf16, windash, type WorkValue } from './transforms.ts';
import { anyOf, type StringTest } from './value-tests.ts';
import { compileRegex, type CompiledRegex } from './regex.ts';
import { inNetwork, parseCidr, parseIp } from './cidr.ts';
import { compareNumbers, timePart, toNumber } from './numbers.ts';
import { anywhere, atomText, atomsFor, needsAll, needsOf, union, type NeededLiteral, type Needs } from './necessary.ts';
import { requiredRuns, compilePattern } from './string-pattern.ts';
import { buildLiteralScanner, type LiteralScanner } from './literal-scanner.ts';
import { memoizeTest } from './memo-test.ts';
import { someScalar } from './event-view.ts';
import { regexNecessaryLiterals, regexNecessaryLiteralsCased } from './regex-literals.ts';

export type Predicate = (view: EventView) => boolean;
export type CompileContext = { fields: FieldTable; placeholders: ReadonlyMap<string, readonly string[]> };
export type Compiled<T> = { ok: true; value: T } | { ok: false; code: DiagnosticCode; reason: string };
/** A compiled field condition: its predicate and the literal sets a match needs (see necessary.ts). */
export type CompiledCondition = { predicate: Predicate; needs: Needs };

type Failure = { ok: false; code: DiagnosticCode; reason: string };
const fail = (reason: string, code: DiagnosticCode = DiagnosticCodes.invalidModifier): Failure => ({ ok: false, code, reason });
const lower = (s: string) => s.toLowerCase();
const same = (s: string) => s;

export function compileFieldCondition(condition: FieldCondition, ctx: CompileContext): Compiled<CompiledCondition> {
  const planned = planModifiers(condition.modifiers);
  if (!planned.ok) return fail(planned.reason);
  const plan = planned.plan;
  const { values } = condition;
  if (plan.all && values.length < 2) return fail('"all" needs a list of at least two values', DiagnosticCodes.invalidValue);
  if (condition.field === null) {
    if (plan.kind !== 'string' && plan.kind !== 're') return fail(`modifier "${plan.kind}" needs a field name`);
    // A keyword is searched for anywhere in the event's values.
    if (plan.kind === 'string' && plan.anchor === null) plan.anchor = 'contains';
  }
  const matcher = compileValueMatcher(plan, values, ctx);
  if (!matcher.ok) return matcher;
  const test = matcher.value;
  // Case-insensitive string matching compares lower-cased text; the view lower-cases each field once.
  const fold = plan.kind === 'string' && !plan.cased;
  if (condition.field === null) {
    if (plan.all) {
      // `'|all': [a, b]`: every keyword must occur somewhere in the event, not all in one value.
      const each = values.map((v) => compileFieldCondition({ ...condition, modifiers: condition.modifiers.filter((m) => m !== 'all'), values: [v] }, ctx));
      const failed = each.find((c) => !c.ok);
      if (failed) return failed;
      const parts = each.map((c) => (c as { ok: true; value: CompiledCondition }).value);
      const preds = parts.map((p) => p.predicate);
      return { ok: true, value: { predicate: (view) => preds.every((p) => p(view)), needs: needsAll(parts.map((p) => p.needs)) } };
    }
    const needs = needsFor(null, plan, matcher.literals, matcher.secondLiterals);
    const gate = literalGate(matcher.literals);
    // With a gate, each raw value is checked for a necessary literal first (one automaton pass, no
    // lower-casing), and only values that pass are tested in full; the answer per value is remembered.
    if (gate) {
      const keyword = memoizeTest((raw) => gate.containsAny(raw) && test(raw, noView, false));
      const nonText = gate.matchesNonText;
      return { ok: true, value: { predicate: (view) => someScalar(view.event, keyword, nonText), needs } };
    }
    return { ok: true, value: { predicate: (view) => view.keywords(fold).some((k) => test(k, view, fold)), needs } };
  }
  const slot = ctx.fields.slot(condition.field);
  // Values repeat (an Image, a user, a command line run by cron): a test that depends on the value
  // alone remembers its answer per raw value, which also saves lower-casing it.
  const remembered = matcher.pure ? memoizeTest((raw) => test(raw, noView, false), memoEntriesPerCondition) : null;
  const matches = (view: EventView): boolean => {
    const v = view.value(slot);
    if (remembered !== null && typeof v === 'string') return remembered(v);
    if (fold && typeof v === 'string') return test(view.lowerString(slot, v), view, true);
    if (Array.isArray(v)) return v.some((item) => test(item, view, false));
    return test(v, view, false);
  };
  if (plan.kind === 'exists') return { ok: true, value: { predicate: (view) => test(view.value(slot), view, false), needs: [] } };
  if (plan.neq) return { ok: true, value: { predicate: (view) => { const v = view.value(slot); return v !== undefined && v !== null && !matches(view); }, needs: [] } };
  return { ok: true, value: { predicate: matches, needs: needsFor(condition.field, plan, matcher.literals, matcher.secondLiterals) } };
}

/** Literal groups (one per value): under `all` each group alone is necessary, otherwise the union;
 * the same again for the second runs. */
function needsFor(field: string | null, plan: ModifierPlan, literals: readonly (readonly NeededLiteral[])[] | null, secondLiterals?: readonly (readonly NeededLiteral[])[]): Needs {
  if (literals === null) return [];
  const sets = [literals, ...(secondLiterals ? [secondLiterals] : [])].map((set) => set.map((group) => atomsFor(field, group)));
  return plan.all ? needsAll(sets.flat().map(needsOf)) : needsAll(sets.map((perGroup) => needsOf(union(perGroup))));
}

/** (value, view, folded) → whether the value satisfies the condition; `folded`: a string value is
 * already lower-cased. */
type ValueTest = (value: unknown, view: EventView, folded: boolean) => boolean;

/** `pure`: the test reads only the value, never the view (so its answers can be remembered). */
/** `literals`: per value, per variant, the longest run a match must contain; `secondLiterals`: another
 * run each (the same one when there is no other), a second necessary set. */
type ValueMatcher = { ok: true; value: ValueTest; literals: NeededLiteral[][] | null; secondLiterals?: NeededLiteral[][]; pure?: boolean } | Failure;

/** For pure tests, which never read the view. */
const noView = new EventView();
/** Values remembered per field condition (many conditions: kept smaller than the scanners' memos). */
const memoEntriesPerCondition = 1024;

function compileValueMatcher(plan: ModifierPlan, values: readonly Scalar[], ctx: CompileContext): ValueMatcher {
  switch (plan.kind) {
    case 'exists': {
      if (values.length !== 1 || typeof values[0] !== 'boolean') return fail('"exists" takes one value, true or false', DiagnosticCodes.invalidValue);
      const expected = values[0];
      return { ok: true, value: (v) => (v !== undefined) === expected, literals: null };
    }
    case 'numeric': case 'time': {
      const numbers = values.map((v) => toNumber(v));
      if (numbers.some((n) => n === undefined)) return fail(`modifier "${plan.numeric ?? plan.time}" needs numeric values`, DiagnosticCodes.invalidValue);
      const op = plan.numeric ?? 'eq';
      const part = plan.time;
      const check = (n: number) => (plan.all ? numbers.every((x) => compareNumbers(op, n, x!)) : numbers.some((x) => compareNumbers(op, n, x!)));
      return { ok: true, value: (v) => { const n = part ? timePart(part, v) : toNumber(v); return n !== undefined && check(n); }, literals: null };
    }
    case 'cidr': {
      const networks = values.map((v) => (typeof v === 'string' ? parseCidr(v) : undefined));
      const bad = values.find((_, i) => networks[i] === undefined);
      if (bad !== undefined) return fail(`"${String(bad)}" is not an IPv4 or IPv6 network`, DiagnosticCodes.invalidValue);
      return { ok: true, value: (v) => { if (typeof v !== 'string') return false; const ip = parseIp(v); return ip !== undefined && (plan.all ? networks.every((n) => inNetwork(n!, ip)) : networks.some((n) => inNetwork(n!, ip))); }, literals: null };
    }
    case 're': {
      const regexes: CompiledRegex[] = [];
      for (const v of values) {
        if (typeof v !== 'string') return fail('"re" needs string values', DiagnosticCodes.invalidValue);
        let sources = [v];
        if (plan.transforms.includes('expand')) {
          const expanded = expandPlaceholders({ text: [], binary: false }, v, ctx.placeholders);
          if (!expanded.ok) return fail(expanded.reason, DiagnosticCodes.unresolvedPlaceholder);
          sources = expanded.values.map((e) => formatSigmaString(e.text));
        }
        for (const source of sources) {
          const compiled = compileRegex(source, plan.regexFlags);
          if (!compiled.ok) return fail(compiled.reason, compiled.unsafe ? DiagnosticCodes.unsafeRegex : DiagnosticCodes.invalidRegex);
          regexes.push(compiled.regex);
        }
      }
      const test = plan.all ? (s: string) => regexes.every((r) => r.test(s)) : (s: string) => regexes.some((r) => r.test(s));
      return { ok: true, value: (v) => { const s = asText(v); return s !== undefined && test(s); }, literals: necessaryRegexGroups(regexes, plan.regexFlags.caseInsensitive), pure: true };
    }
    case 'fieldref': {
      if (!values.every((v) => typeof v === 'string')) return fail('"fieldref" needs field names as values', DiagnosticCodes.invalidValue);
      const slots = (values as string[]).map((name) => ctx.fields.slot(name));
      const fold = plan.cased ? same : lower;
      const compare = (a: string, b: string) =>
        plan.anchor === 'contains' ? a.includes(b) : plan.anchor === 'startswith' ? a.startsWith(b) : plan.anchor === 'endswith' ? a.endsWith(b) : a === b;
      const one = (s: string, view: EventView, ref: FieldSlot) => { const r = asText(view.value(ref)); return r !== undefined && compare(fold(s), fold(r)); };
      return { ok: true, value: (v, view) => { const s = asText(v); return s !== undefined && (plan.all ? slots.every((r) => one(s, view, r)) : slots.some((r) => one(s, view, r))); }, literals: null };
    }
    case 'string': return compileStringValues(plan, values, ctx);
  }
}

function compileStringValues(plan: ModifierPlan, values: readonly Scalar[], ctx: CompileContext): ValueMatcher {
  if (values.includes(null)) {
    if (plan.transforms.length > 0 || plan.anchor) return fail('null cannot be combined with string modifiers', DiagnosticCodes.invalidValue);
    return { ok: true, value: (v) => v === undefined || v === null, literals: null };
  }
  let work: { value: WorkValue; raw: string; input: number }[] =
    values.map((v, input) => ({ value: { text: parseSigmaString(String(v)), binary: false }, raw: String(v), input }));
  for (const transform of plan.transforms) {
    const next: typeof work = [];
    for (const { value, raw, input } of work) {
      const result = transform === 'expand' ? expandPlaceholders(value, raw, ctx.placeholders)
        : transform === 'windash' ? windash(value)
        : transform === 'base64' ? base64(value)
        : transform === 'base64offset' ? base64offset(value)
        : utf16(value, transform === 'utf16be' ? 'be' : transform === 'utf16' ? 'bom' : 'le');
      if (!result.ok) return fail(result.reason, transform === 'expand' ? DiagnosticCodes.unresolvedPlaceholder : DiagnosticCodes.invalidValue);
      for (const v of result.values) next.push({ value: v, raw: formatSigmaString(v.text), input });
    }
    work = next;
  }
  const fold = plan.cased ? same : lower;
  // Modifiers that turn one value into several (windash, base64offset, expand) keep OR between the
  // variants of one value, also under `all`.
  const groups: SigmaString[][] = [];
  for (const { value, input } of work) (groups[input] ??= []).push(anchor(plan, value.text));
  const tests: StringTest[] = groups.map((group) => anyOf(group, fold));
  const test: StringTest = plan.all ? (s) => tests.every((t) => t(s)) : anyOf(groups.flat(), fold);
  const cased = plan.cased;
  const runs = groups.map((group) => group.map((text) => requiredRuns(compilePattern(text, fold)).map((run): NeededLiteral => ({ ...run, cased }))));
  return {
    ok: true,
    value: (v, _view, folded) => {
      if (typeof v === 'string') return test(folded || plan.cased ? v : v.toLowerCase());
      const s = asText(v);
      return s !== undefined && test(plan.cased ? s : s.toLowerCase());
    },
    literals: runs.map((group) => group.map((r) => r[0] ?? anywhere(''))),
    // A wildcard pattern needs all its runs: a second set of runs is a second necessary set, which
    // keeps e.g. '* /tmp/*.b64 *' from making every command line with " /tmp/" a candidate.
    secondLiterals: runs.map((group) => group.map((r) => r.slice(1).find((run) => atomText(run.text).length >= 3) ?? r[0] ?? anywhere(''))),
    pure: true,
  };
}

function anchor(plan: ModifierPlan, text: SigmaString): SigmaString {
  switch (plan.anchor) {
    case 'contains': return withTrailingWildcard(withLeadingWildcard(text));
    case 'startswith': return withTrailingWildcard(text);
    case 'endswith': return withLeadingWildcard(text);
    case null: return text;
  }
}

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** One OR-set of literals per regex; null when any regex has none (then nothing is necessary). A
 * case-sensitive pattern (no `i` flag, no inline flags) needs its literals as written. */
function necessaryRegexGroups(regexes: readonly CompiledRegex[], caseInsensitive: boolean): NeededLiteral[][] | null {
  const groups = regexes.map((r) => {
    const cased = !caseInsensitive && !r.source.includes('(?') ? regexNecessaryLiteralsCased(r.source) : null;
    if (cased !== null) return cased.map((text): NeededLiteral => ({ text, cased: true, atStart: false, atEnd: false }));
    return regexNecessaryLiterals(r.source)?.map(anywhere) ?? null;
  });
  return groups.some((g) => g === null) ? null : (groups as NeededLiteral[][]);
}

/** A case-insensitive scanner for "contains one of the literals any match needs", or null when some
 * value needs no literal (then nothing can be skipped). */
function literalGate(literals: readonly (readonly NeededLiteral[])[] | null): LiteralScanner | null {
  if (literals === null) return null;
  const texts = literals.flat().map((literal) => atomText(literal.text));
  if (texts.length === 0 || texts.some((t) => t === '')) return null;
  return buildLiteralScanner(texts.map((text) => ({ text, rule: 0 })), { foldCase: true });
}
