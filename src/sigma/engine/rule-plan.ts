// The rules one logsource reaches, with the literal prefilter that picks, per event, the few rules
// worth evaluating. A rule usually has several necessary literal sets (one per conjunct, see
// compile/necessary.ts), each of which alone must hold in any event the rule matches. Each set is a
// "slot"; one scan per value marks every slot that holds, and a rule is a candidate only when all its
// slots hold. A rule is skipped only when it could not have matched. Values are found by one walk
// of the event's keys (its own enumerable properties: events are plain data).
import type { CompiledRule } from '../compile/rule-set.ts';
import { isEnvelope, maxDepth, maxKeywordNodes, type EventView, type FieldSlot, type FieldTable } from '../compile/event-view.ts';
import { buildLiteralScanner, RuleMarks, type LiteralScanner, type ScannerLiteral } from '../compile/literal-scanner.ts';
import type { AutomatonCache } from '../compile/automaton.ts';
import { MemoScanner } from './memo-scanner.ts';

type Literal = ScannerLiteral;

type FieldScan = { slot: FieldSlot; scanner: MemoScanner };

const maxKeys = 256;
/** Keys of the previous event remembered in order (events with more keys look the rest up). */
const maxRememberedKeys = 64;

export class RulePlan {
  readonly rules: readonly CompiledRule[];
  readonly #always: Int32Array;
  /** Marks are per slot: slot → its rule. Per rule, side by side (one cache line, not three): the
   * generation its count belongs to (so nothing is cleared per event), how many of its slots held,
   * and how many it has. */
  readonly #marks: RuleMarks;
  readonly #slotRule: Int32Array;
  readonly #ruleState: Int32Array;
  #generation = 0;
  readonly #candidates: Int32Array;
  /** Fields with dotted names, read through their slots too: they may reach into nested objects. */
  readonly #fieldScans: FieldScan[] = [];
  /** Every field with literals, read through its slot, for events that are arrays. */
  readonly #arrayFieldScans: FieldScan[] = [];
  /** With keyword rules: the keyword automaton, and per top-level key the scanner for its values
   * (`ownField`: the key is a field with literals of its own, scanned together with the keywords). */
  #keywords: LiteralScanner | null = null;
  readonly #keyScans = new Map<string, MemoScanner>();
  #sharedKeyScan: MemoScanner | undefined;
  /** The previous event's keys and their scanners ('' past them: always strings, so the comparison
   * stays a string one, and its scanner is the one for the key ''). */
  readonly #lastKeys: string[] = new Array<string>(maxRememberedKeys).fill('');
  readonly #lastScans: (MemoScanner | null)[];

  /** `automata`: shared by the plans of one engine, so the same literals make one automaton. */
  constructor(rules: readonly CompiledRule[], fields: FieldTable, automata: AutomatonCache = new Map()) {
    this.rules = rules;
    const always: number[] = [];
    const byField = new Map<string, Literal[]>();
    const keywords: Literal[] = [];
    const slotRule: number[] = [];
    this.#ruleState = new Int32Array(rules.length * 3);
    rules.forEach((rule, index) => {
      this.#ruleState[index * 3 + 2] = rule.needs.length;
      if (rule.needs.length === 0) always.push(index);
      for (const atoms of rule.needs) {
        const slot = slotRule.length;
        slotRule.push(index);
        for (const { field, ...literal } of atoms) {
          if (field === null) { keywords.push({ ...literal, rule: slot }); continue; }
          let list = byField.get(field);
          if (!list) byField.set(field, (list = []));
          list.push({ ...literal, rule: slot });
        }
      }
    });
    this.#slotRule = Int32Array.from(slotRule);
    this.#marks = new RuleMarks(slotRule.length);
    this.#candidates = new Int32Array(rules.length);
    this.#always = Int32Array.from(always);
    const automaton = (literals: readonly Literal[]) => buildLiteralScanner(literals, { foldCase: true }, automata);
    // Keyword rules search every value; scanning each value once, with its field's literals and the
    // keywords in one automaton, costs one pass per value instead of two.
    if (keywords.length > 0) this.#keywords = automaton(keywords);
    for (const [field, literals] of byField) {
      const scan = new MemoScanner(automaton(keywords.length > 0 ? [...literals, ...keywords] : literals), true);
      this.#keyScans.set(field, scan);
      this.#arrayFieldScans.push({ slot: fields.slot(field), scanner: scan });
      // A dotted name may also reach into nested objects, which the top-level walk does not see as that field.
      if (field.includes('.')) this.#fieldScans.push({ slot: fields.slot(field), scanner: new MemoScanner(automaton(literals)) });
    }
    this.#lastScans = new Array<MemoScanner | null>(maxRememberedKeys).fill(this.#keyScan(''));
  }

  readonly #budget = { nodes: 0 };

  /** Selects the rules that may match the event, in rule order: `ruleAt(0 .. count - 1)`. */
  select(view: EventView): number {
    const marks = this.#marks;
    marks.clear();
    for (const { slot, scanner } of this.#fieldScans) scanValue(scanner, view.value(slot), marks, 1);
    const event = view.event;
    // An array's fields include its length, which a walk of its keys does not see: read them one by one.
    if (Array.isArray(event)) for (const { slot, scanner } of this.#arrayFieldScans) scanValue(scanner, view.value(slot), marks, 1);
    const keywords = this.#keywords !== null;
    const budget = this.#budget;
    budget.nodes = maxKeywordNodes;
    // One walk of the event's keys finds the fields with literals (a rule set names a few dozen
    // fields, an event carries a few of them) and, with keyword rules, every other value.
    // Inherited enumerable keys (not in JSON events) would only add candidates, never hide a match.
    let position = 0;
    for (const key in event) {
      const value = event[key];
      if (isEnvelope(key, value)) continue; // as keyword searches do (compile/event-view.ts)
      // Events from one source share their keys in order (and JSON keys are the same string
      // objects): an identity check against the previous event's keys skips the map lookup.
      let scan: MemoScanner | null;
      if (position < maxRememberedKeys && this.#lastKeys[position] === key) scan = this.#lastScans[position];
      else {
        scan = this.#keyScan(key);
        if (position < maxRememberedKeys) { this.#lastKeys[position] = key; this.#lastScans[position] = scan; }
      }
      position++;
      if (scan === null) continue; // neither a field with literals nor keyword rules
      // Most values are strings: scanned here, without the calls of the general walk (a string
      // under a key of its own field is scanned as scanValue would, else as one node of scanAll).
      if (typeof value === 'string') { if (scan.ownField || --budget.nodes >= 0) scan.scan(value, marks); }
      else if (scan.ownField && (!keywords || typeof value !== 'object' || value === null || Array.isArray(value))) scanValue(scan, value, marks, 1);
      else scanAll(scan.ownField ? this.#keyScan('\u0000' + key)! : scan, value, marks, 1, budget);
    }
    const candidates = this.#candidates;
    let count = 0;
    for (let i = 0; i < this.#always.length; i++) candidates[count++] = this.#always[i]!;
    const { list } = marks;
    const state = this.#ruleState;
    if (++this.#generation === 0x7fffffff) { for (let at = 0; at < state.length; at += 3) state[at] = 0; this.#generation = 1; }
    const generation = this.#generation;
    const slotRule = this.#slotRule;
    for (let i = 0; i < marks.count; i++) {
      const rule = slotRule[list[i]!]!;
      const at = rule * 3;
      if (state[at] !== generation) { state[at] = generation; state[at + 1] = 0; }
      if (++state[at + 1]! === state[at + 2]) candidates[count++] = rule;
    }
    // Evaluate in rule order, so matches come out in the same order whatever the scan order was.
    for (let i = 1; i < count; i++) {
      const rule = candidates[i]!;
      let j = i - 1;
      while (j >= 0 && candidates[j]! > rule) { candidates[j + 1] = candidates[j]!; j--; }
      candidates[j + 1] = rule;
    }
    return count;
  }

  ruleAt(index: number): CompiledRule {
    return this.rules[this.#candidates[index]!]!;
  }

  /** The scanner for a top-level key's values: its field's, the keywords', or none (null). */
  #keyScan(key: string): MemoScanner | null {
    let scan = this.#keyScans.get(key);
    if (scan === undefined) {
      if (this.#keywords === null) return null;
      // The keyword automaton, memoised per key (values repeat per key, not across keys). Keys come
      // from events: past a bound, new keys share one scanner instead of growing the map.
      if (this.#keyScans.size >= maxKeys) return (this.#sharedKeyScan ??= new MemoScanner(this.#keywords));
      scan = new MemoScanner(this.#keywords);
      this.#keyScans.set(key, scan);
    }
    return scan;
  }
}

/** Scans a field's value as the matchers see it: text, numbers as text, arrays item by item. */
function scanValue(scanner: MemoScanner, value: unknown, marks: RuleMarks, depth: number): void {
  if (typeof value === 'string') scanner.scan(value, marks);
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') { if (scanner.matchesNonText) scanner.scan(String(value), marks); }
  else if (Array.isArray(value) && depth > 0) for (const item of value) scanValue(scanner, item, marks, depth - 1);
}

/** Keyword rules search every value of the event: walk it as EventView.keywords does. */
function scanAll(scanner: MemoScanner, value: unknown, marks: RuleMarks, depth: number, budget: { nodes: number }): void {
  if (depth > maxDepth || --budget.nodes < 0) return;
  if (typeof value === 'object' && value !== null) {
    if (Array.isArray(value)) for (const item of value) scanAll(scanner, item, marks, depth + 1, budget);
    else for (const key in value) scanAll(scanner, (value as Record<string, unknown>)[key], marks, depth + 1, budget);
  } else scanValue(scanner, value, marks, 0);
}
