// Soundness of the literal prefilters: whenever a rule (or a regex) matches, one of its necessary
// literals occurs in the event. Checked against the real matchers on random inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { regexNecessaryLiterals, regexNecessaryLiteralsCased } from '../../src/sigma/compile/regex-literals.ts';
import { createDetectionEngine, loadRuleSet } from '../../src/sigma/index.ts';
import { stringify } from 'yaml';
import { EventView } from '../../src/sigma/compile/event-view.ts';
import { buildLiteralScanner, RuleMarks } from '../../src/sigma/compile/literal-scanner.ts';
import type { AutomatonCache } from '../../src/sigma/compile/automaton.ts';
import { needsAll, rank } from '../../src/sigma/compile/necessary.ts';

const alphabet = fc.constantFrom('a', 'b', 'c', 'A', '-', ' ', '/', '.');
const regex = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    alphabet.map((c) => (c === '.' ? '\\.' : c)),
    fc.constantFrom('.', '[ab]', '\\s', '\\d', '^', '$', '\\b', '(?i)'),
    fc.tuple(tie('node'), tie('node')).map(([a, b]) => a + b),
    fc.tuple(tie('node'), tie('node')).map(([a, b]) => `(${a}|${b})`),
    fc.tuple(tie('node'), fc.constantFrom('*', '+', '?', '{2}', '{1,3}', '+?')).map(([a, q]) => `(?:${a})${q}`),
  ),
})).node;

test('regex literals: every RE2 match contains one of them (case-insensitively)', () => {
  fc.assert(fc.property(regex, fc.array(fc.string({ unit: alphabet, maxLength: 12 }), { maxLength: 20 }), (pattern, texts) => {
    let re: RE2JS;
    try { re = RE2JS.compile(pattern); } catch { return; }
    const literals = regexNecessaryLiterals(pattern);
    if (literals === null) return;
    for (const text of texts) {
      if (re.test(text)) assert.ok(literals.some((l) => text.toLowerCase().includes(l)), `${pattern} matched ${JSON.stringify(text)} without ${JSON.stringify(literals)}`);
    }
  }), { numRuns: 2000 });
});

test('regex literals as written: every match of a case-sensitive pattern contains one of them exactly', () => {
  fc.assert(fc.property(regex, fc.array(fc.string({ unit: alphabet, maxLength: 12 }), { maxLength: 20 }), (pattern, texts) => {
    if (pattern.includes('(?')) return; // inline flags: callers do not ask (the pattern may fold case)
    let re: RE2JS;
    try { re = RE2JS.compile(pattern); } catch { return; }
    const literals = regexNecessaryLiteralsCased(pattern);
    if (literals === null) return;
    for (const text of texts) {
      if (re.test(text)) assert.ok(literals.some((l) => text.includes(l)), `${pattern} matched ${JSON.stringify(text)} without ${JSON.stringify(literals)}`);
    }
  }), { numRuns: 2000 });
});

test('rule prefilter: the engine finds every match a full evaluation finds', () => {
  // Letters beyond ASCII whose case the prefilter folds (в, ᲀ and В are one class; Σ lower-cases to σ
  // or ς) or does not (ß upper-cases to SS, İ lower-cases to two units, ſ upper-cases to S).
  const letters = fc.oneof({ weight: 5, arbitrary: alphabet }, { weight: 1, arbitrary: fc.constantFrom('в', 'В', 'ᲀ', 'Σ', 'σ', 'ς', 'ß', 'ẞ', 'İ', 'i', 'ſ', 's') });
  const value = fc.string({ unit: letters, maxLength: 6 });
  // Rule values may hold wildcards: a pattern with several literal runs gives several necessary sets.
  const pattern = fc.string({ unit: fc.oneof({ weight: 4, arbitrary: letters }, { weight: 1, arbitrary: fc.constantFrom('*', '?') }), maxLength: 8 });
  const field = fc.constantFrom('A', 'B');
  const mod = fc.constantFrom('', '|contains', '|startswith', '|endswith', '|re', '|contains|all', '|windash|contains', '|cased');
  const selection = fc.dictionary(fc.tuple(field, mod).map(([f, m]) => f + m), fc.array(pattern, { minLength: 2, maxLength: 3 }), { minKeys: 1, maxKeys: 2 });
  const condition = fc.constantFrom('s1', 's1 and s2', 's1 or s2', 's1 and not s2', 'not s1', '1 of s*', 'all of them', 'kw', 'kw or s1');
  fc.assert(fc.property(selection, selection, fc.array(pattern, { minLength: 1, maxLength: 2 }), condition,
    fc.array(fc.record({ A: value, B: value, C: value }), { maxLength: 10 }), (s1, s2, kw, cond, events) => {
      const text = stringify({ title: 't', id: 'r', logsource: { product: 'x' }, detection: { s1, s2, kw, condition: cond } });
      const loaded = loadRuleSet([{ name: 'r.yml', text }]);
      if (!loaded.rules[0]!.ok) return;
      const engine = createDetectionEngine(loaded.ruleSet);
      const rule = loaded.ruleSet.detections[0]!;
      for (const event of events) {
        const view = new EventView();
        view.reset(event);
        const expected = rule.predicate(view);
        assert.equal(engine.match(event).length > 0, expected, `${text}\n${JSON.stringify(event)}`);
      }
    }), { numRuns: 1500 });
});

test('rule prefilter: events of every shape find the matches a full evaluation finds', () => {
  // The prefilter walks an event's keys; rules read fields by name. Shapes where the two could part:
  const cases: { detection: Record<string, unknown>; events: unknown[] }[] = [
    // an array as the event (its length is a field no key walk sees)
    { detection: { s: { length: 2 }, condition: 's' }, events: [['a', 'b'], ['a'], { length: 2 }] },
    // dotted names: the flat key, or nested objects
    { detection: { s: { 'a.b|contains': 'evil' }, condition: 's' }, events: [{ a: { b: 'an evil one' } }, { 'a.b': 'evil' }, { a: { c: 'evil' } }] },
    // lists of values, numbers, and keys the rules do not name
    { detection: { s: { A: ['x', 42] }, condition: 's' }, events: [{ A: ['y', 'x'] }, { A: 42 }, { B: 'x', A: 'z' }, { A: [[42]] }] },
    // letters beyond ASCII: Σ lower-cases to ς ending a word, else σ; RE2 folds ᲀ with в
    { detection: { s: { 'A|contains': 'xΣ' }, condition: 's' }, events: [{ A: 'XΣ' }, { A: 'xσ' }, { A: 'xς y' }] },
    { detection: { s: { 'A|re|i': 'aв' }, condition: 's' }, events: [{ A: 'aᲀ' }, { A: 'AВ' }, { A: 'ab' }] },
    // keywords beside a field with literals of its own
    { detection: { s: { A: 'x' }, kw: ['evil'], condition: 's and kw' }, events: [{ A: 'x', B: { C: ['evil'] } }, { A: 'x' }, ['x', 'evil']] },
  ];
  for (const { detection, events } of cases) {
    const loaded = loadRuleSet([{ name: 'r.yml', text: stringify({ title: 't', id: 'r', logsource: { product: 'x' }, detection }) }]);
    assert.ok(loaded.rules[0]!.ok, JSON.stringify(loaded.rules[0]));
    const engine = createDetectionEngine(loaded.ruleSet);
    const rule = loaded.ruleSet.detections[0]!;
    let matched = 0;
    for (const event of events) {
      const view = new EventView();
      view.reset(event as Record<string, unknown>);
      const expected = rule.predicate(view);
      if (expected) matched++;
      assert.equal(engine.match(event as Record<string, unknown>).length > 0, expected, `${JSON.stringify(detection)}\n${JSON.stringify(event)}`);
    }
    assert.ok(matched > 0, `no event matches ${JSON.stringify(detection)}: the case checks nothing`);
  }
});

test('literal scanner: reports exactly the literals in the text, checked where they must be (as written, at the start, at the end), also from a shared automaton', () => {
  const unit = fc.constantFrom('a', 'A', 'k', 'K', '\u212a', 'z', '0', '1', ':', 'T', '-', ' ', '/', '.');
  const literal = fc.record({ text: fc.string({ unit, minLength: 1, maxLength: 4 }), atStart: fc.boolean(), atEnd: fc.boolean(), cased: fc.boolean() });
  fc.assert(fc.property(fc.array(literal, { minLength: 1, maxLength: 6 }), fc.array(fc.string({ unit, maxLength: 10 }), { maxLength: 10 }), (literals, texts) => {
    const entries = literals.map((l, rule) => ({ text: l.text.toLowerCase(), rule, ...(l.cased ? { exact: l.text } : {}), atStart: l.atStart, atEnd: l.atEnd }))
      .filter((e) => e.exact === undefined || e.exact.length === e.text.length);
    // Built through a cache that already holds the automaton of the same texts (and the same
    // literals that must end the text), made for other reports and checks (as plans of one engine
    // share it): what each literal reports must stay its own.
    const automata: AutomatonCache = new Map();
    buildLiteralScanner(entries.map(({ text, atEnd }) => ({ text, atEnd, rule: 0 })), { foldCase: true }, automata);
    const scanner = buildLiteralScanner(entries, { foldCase: true }, automata);
    assert.equal(automata.size, 1);
    const marks = new RuleMarks(entries.length);
    for (const text of texts) {
      const lower = text.replace(/\u212a/g, 'k').toLowerCase();
      const holds = (e: (typeof entries)[number]) => {
        for (let at = 0; at + e.text.length <= text.length; at++) {
          if (lower.slice(at, at + e.text.length) !== e.text) continue;
          if (e.exact !== undefined && text.slice(at, at + e.text.length) !== e.exact) continue;
          if (e.atStart && at !== 0) continue;
          if (e.atEnd && at + e.text.length !== text.length) continue;
          return true;
        }
        return false;
      };
      marks.clear();
      scanner.scan(text, marks);
      const found = new Set(Array.from(marks.list.subarray(0, marks.count)));
      for (const e of entries) assert.equal(found.has(e.rule), holds(e), `${JSON.stringify(e)} in ${JSON.stringify(text)}`);
      // The memo's and the gates' walks report the same.
      const collected: number[] = [];
      scanner.collect(text, collected);
      assert.deepEqual(new Set(collected), found, `collect ${JSON.stringify(text)}`);
      assert.equal(scanner.containsAny(text), found.size > 0, `containsAny ${JSON.stringify(text)}`);
      // The cheap proof that no literal is there never hides one.
      if (scanner.inert(text)) for (const e of entries) assert.equal(holds(e), false, `inert ${JSON.stringify(text)} holds ${JSON.stringify(e)}`);
    }
  }), { numRuns: 3000 });
});

test('literal scanner: text made of characters no literal is made of alone is proved free of literals', () => {
  const scanner = (texts: string[]) => buildLiteralScanner(texts.map((text, rule) => ({ text, rule })), { foldCase: true });
  const keywords = scanner(['wget ', 'chmod 777', '/dev/tcp/', 'base64 -d']);
  assert.equal(keywords.inert('2026-11-01T00:00:00.007Z'), true);
  assert.equal(keywords.inert('10.0.3.4'), true);
  assert.equal(keywords.inert(''), true);
  assert.equal(keywords.inert('2026-11-01T00:00:00.007Z wget'), false);
  assert.equal(keywords.inert('2026-11-01T00:00:00\u212a'), false); // the Kelvin sign folds to k
  // A literal made of digits and dots keeps one of them out: an address may hold it.
  const addresses = scanner(['1.1', 'curl']);
  assert.equal(addresses.inert('10.1.1.4'), false);
  assert.equal(addresses.inert('2026-11-01'), true);
  // Literals that are separators and digits alone leave nothing to prove with.
  assert.equal(scanner(['0', '.']).inert('0.0'), false);
});

test('necessary sets: a set that contains another is dropped (it holds whenever the other does)', () => {
  const image = { field: 'Image', text: '/bash', atEnd: true };
  const parent = { field: 'ParentImage', text: '/nginx', atEnd: true };
  const java = { field: 'ParentCommandLine', text: '/bin/java' };
  const cmd = { field: 'CommandLine', text: ' -i ' };
  // As `1 of selection_*` with two selections sharing a field makes them: [parent, java] ⊂ [parent, java, cmd].
  const needs = rank([[parent, java, cmd], [parent, java], [image]]);
  assert.deepEqual(needs, [[image], [parent, java]]);
  assert.deepEqual(needsAll([[[image]], [[image, cmd]]]), [[image]]);
});
