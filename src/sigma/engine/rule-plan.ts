// The rules one logsource reaches, with the literal prefilter that picks, per event, the few rules
// worth evaluating. A rule is skipped only when none of its necessary literals occurs in the event,
// which means it could not have matched.
import type { CompiledRule } from '../compile/rule-set.ts';
import { maxDepth, maxKeywordNodes, type EventView, type FieldSlot, type FieldTable } from '../compile/event-view.ts';
import { buildLiteralScanner, type LiteralScanner } from '../compile/literal-scanner.ts';
import { MemoScanner } from './memo-scanner.ts';

type Scanner = MemoScanner;
const scannerFor = (literals: readonly Literal[]) => new MemoScanner(buildLiteralScanner(literals));

type Literal = { text: string; rule: number };
type FieldScan = { slot: FieldSlot; scanner: Scanner };

export class RulePlan {
  readonly rules: readonly CompiledRule[];
  readonly #always: Uint8Array;
  readonly #stamp: Uint32Array;
  #generation = 0;
  /** Fields with literals of their own, scanned through their slots. */
  readonly #fieldScans: FieldScan[] = [];
  /** With keyword rules: top-level key → automaton for that key's own literals plus the keywords'. */
  readonly #keyScanners = new Map<string, Scanner>();
  #keywordScanner: LiteralScanner | null = null;
  /** The keyword automaton, memoised per top-level key (values repeat per key, not across keys). */
  readonly #keywordByKey = new Map<string, Scanner>();
  #keywordShared: Scanner | undefined;

  constructor(rules: readonly CompiledRule[], fields: FieldTable) {
    this.rules = rules;
    this.#always = new Uint8Array(rules.length);
    this.#stamp = new Uint32Array(rules.length);
    const byField = new Map<string, Literal[]>();
    const keywords: Literal[] = [];
    rules.forEach((rule, index) => {
      if (rule.necessary === null) { this.#always[index] = 1; return; }
      for (const atom of rule.necessary) {
        if (atom.field === null) { keywords.push({ text: atom.text, rule: index }); continue; }
        let list = byField.get(atom.field);
        if (!list) byField.set(atom.field, (list = []));
        list.push({ text: atom.text, rule: index });
      }
    });
    if (keywords.length === 0) {
      for (const [field, literals] of byField) this.#fieldScans.push({ slot: fields.slot(field), scanner: scannerFor(literals) });
      return;
    }
    // Keyword rules search every value; scanning each value once, with its field's literals and the
    // keywords in one automaton, costs one pass per value instead of two.
    this.#keywordScanner = buildLiteralScanner(keywords);
    for (const [field, literals] of byField) {
      this.#keyScanners.set(field, scannerFor([...literals, ...keywords]));
      // A dotted name may also reach into nested objects, which the top-level walk does not see as that field.
      if (field.includes('.')) this.#fieldScans.push({ slot: fields.slot(field), scanner: scannerFor(literals) });
    }
  }

  #keywordScannerFor(key: string, automaton: LiteralScanner): Scanner {
    let scanner = this.#keywordByKey.get(key);
    if (scanner === undefined) {
      // Keys come from events: past a bound, new keys share one scanner instead of growing the map.
      if (this.#keywordByKey.size >= 256) return (this.#keywordShared ??= new MemoScanner(automaton));
      scanner = new MemoScanner(automaton);
      this.#keywordByKey.set(key, scanner);
    }
    return scanner;
  }

  /** Calls `evaluate` for each rule that may match the event, in rule order. */
  candidates(view: EventView, evaluate: (rule: CompiledRule) => void): void {
    if (++this.#generation === 0xffffffff) { this.#stamp.fill(0); this.#generation = 1; }
    const generation = this.#generation;
    const stamp = this.#stamp;
    for (const { slot, scanner } of this.#fieldScans) scanValue(scanner, view.value(slot), stamp, generation, 1);
    const keywordScanner = this.#keywordScanner;
    if (keywordScanner !== null) {
      const event = view.event;
      const budget = { nodes: maxKeywordNodes };
      for (const key in event) {
        if (!Object.hasOwn(event, key)) continue;
        const value = event[key];
        const own = this.#keyScanners.get(key);
        if (own !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) scanValue(own, value, stamp, generation, 1);
        else scanAll(this.#keywordScannerFor(key, keywordScanner), value, stamp, generation, 1, budget);
      }
    }
    const always = this.#always;
    for (let i = 0; i < this.rules.length; i++) if (always[i] === 1 || stamp[i] === generation) evaluate(this.rules[i]!);
  }
}

/** Scans a field's value as the matchers see it: text, numbers as text, arrays item by item. */
function scanValue(scanner: Scanner, value: unknown, stamp: Uint32Array, generation: number, depth: number): void {
  if (typeof value === 'string') scanner.scan(value, stamp, generation);
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') scanner.scan(String(value), stamp, generation);
  else if (Array.isArray(value) && depth > 0) for (const item of value) scanValue(scanner, item, stamp, generation, depth - 1);
}

/** Keyword rules search every value of the event: walk it as EventView.keywords does. */
function scanAll(scanner: Scanner, value: unknown, stamp: Uint32Array, generation: number, depth: number, budget: { nodes: number }): void {
  if (depth > maxDepth || --budget.nodes < 0) return;
  if (typeof value === 'object' && value !== null) {
    for (const item of Array.isArray(value) ? value : Object.values(value)) scanAll(scanner, item, stamp, generation, depth + 1, budget);
  } else scanValue(scanner, value, stamp, generation, 0);
}
