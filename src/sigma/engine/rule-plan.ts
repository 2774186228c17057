// The rules one logsource reaches, with the literal prefilter that picks, per event, the few rules
// worth evaluating. A rule is skipped only when none of its necessary literals occurs in the event,
// which means it could not have matched.
import type { CompiledRule } from '../compile/rule-set.ts';
import { maxDepth, maxKeywordNodes, type EventView, type FieldSlot, type FieldTable } from '../compile/event-view.ts';
import { buildLiteralScanner, type LiteralScanner } from '../compile/literal-scanner.ts';

type FieldScan = { slot: FieldSlot | null; scanner: LiteralScanner };

export class RulePlan {
  readonly rules: readonly CompiledRule[];
  readonly #always: Uint8Array;
  readonly #scans: FieldScan[];
  readonly #stamp: Uint32Array;
  #generation = 0;

  constructor(rules: readonly CompiledRule[], fields: FieldTable) {
    this.rules = rules;
    this.#always = new Uint8Array(rules.length);
    this.#stamp = new Uint32Array(rules.length);
    const byField = new Map<string | null, { text: string; rule: number }[]>();
    rules.forEach((rule, index) => {
      if (rule.necessary === null) { this.#always[index] = 1; return; }
      for (const atom of rule.necessary) {
        let list = byField.get(atom.field);
        if (!list) byField.set(atom.field, (list = []));
        list.push({ text: atom.text, rule: index });
      }
    });
    this.#scans = [...byField].map(([field, literals]) => ({ slot: field === null ? null : fields.slot(field), scanner: buildLiteralScanner(literals) }));
  }

  /** Calls `evaluate` for each rule that may match the event, in rule order. */
  candidates(view: EventView, evaluate: (rule: CompiledRule) => void): void {
    if (++this.#generation === 0xffffffff) { this.#stamp.fill(0); this.#generation = 1; }
    const generation = this.#generation;
    const stamp = this.#stamp;
    for (const { slot, scanner } of this.#scans) {
      if (slot === null) scanAll(scanner, view.event, stamp, generation, 0, { nodes: maxKeywordNodes });
      else scanValue(scanner, view.value(slot), stamp, generation, 1);
    }
    for (let i = 0; i < this.rules.length; i++) if (this.#always[i] === 1 || this.#stamp[i] === generation) evaluate(this.rules[i]!);
  }
}

/** Scans a field's value as the matchers see it: text, numbers as text, arrays item by item. */
function scanValue(scanner: LiteralScanner, value: unknown, stamp: Uint32Array, generation: number, depth: number): void {
  if (typeof value === 'string') scanner.scan(value, stamp, generation);
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') scanner.scan(String(value), stamp, generation);
  else if (Array.isArray(value) && depth > 0) for (const item of value) scanValue(scanner, item, stamp, generation, depth - 1);
}

/** Keyword rules search every value of the event: walk it as EventView.keywords does. */
function scanAll(scanner: LiteralScanner, value: unknown, stamp: Uint32Array, generation: number, depth: number, budget: { nodes: number }): void {
  if (depth > maxDepth || --budget.nodes < 0) return;
  if (typeof value === 'object' && value !== null) {
    for (const item of Array.isArray(value) ? value : Object.values(value)) scanAll(scanner, item, stamp, generation, depth + 1, budget);
  } else scanValue(scanner, value, stamp, generation, 0);
}
