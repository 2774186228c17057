// Adversarial events per rule: fields missing, of the wrong type, huge or odd strings, deep nesting and
// prototype keys, built around the fields each rule reads. Each rule runs alone in the real engine so a
// throw (the engine quarantines it) or a stall (an event over the time budget) is pinned on that rule.
import { createDetectionEngine, createEvaluator } from '../../sigma/index.ts';
import { ContentCodes, contentDiagnostic } from '../diagnostics.ts';
import type { ContentDiagnostic } from '../diagnostics.ts';
import { compileSingleRule } from './pack-rules.ts';
import type { PackRules, RuleInfo } from './pack-rules.ts';

export type AdversarialOptions = {
  /** An event taking longer than this in one rule is a stall. */
  stallMs: number;
  /** Size of the huge strings; the host proof uses smaller ones than the release gate. */
  hugeBytes: number;
  now: () => number;
  onRule?: (ruleId: string) => void;
};

export type AdversarialRun = { events: number; slowestMs: number; slowestRule?: string; errors: ContentDiagnostic[] };

function deep(depth: number, leaf: unknown, asArray: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { x: value, y: 'z' };
  return value;
}

/** Values a field should never be trusted to hold, each with a name for the report. */
export function oddValues(hugeBytes: number): [string, unknown][] {
  return [
    ['number 0', 0], ['negative number', -1], ['huge number', 1e308], ['NaN', Number.NaN], ['Infinity', Number.POSITIVE_INFINITY],
    ['bigint', 10n ** 30n], ['boolean', true], ['null', null], ['undefined', undefined],
    ['empty array', []], ['mixed array', [1, 'x', null, { a: 1 }, [2]]], ['long array', Array.from({ length: 10_000 }, (_, i) => `v${i}`)],
    ['empty object', {}], ['nested object', { a: { b: { c: 'd' } } }], ['deep object', deep(5_000, 'leaf', false)], ['deep array', deep(5_000, 'leaf', true)],
    ['empty string', ''], ['huge string', 'A'.repeat(hugeBytes)], ['backtracking bait', `${'a'.repeat(hugeBytes / 2)}!`],
    ['backslashes', '\\'.repeat(hugeBytes / 4)], ['slashes', '/'.repeat(hugeBytes / 4)], ['spaces', ' '.repeat(hugeBytes / 4)],
    ['control characters', '\u0000\u0001\u001f\u007f'], ['lone surrogate', '\uD800x\uDFFF'], ['bidi override', '\u202Egnp.exe'],
    ['case-folding letters', 'İıſKÅß'], ['wildcards and regex syntax', '*?[](){}|^$.+\\%00%'], ['newlines', 'a\r\nb\tc\n'],
    ['emoji', '🦀'.repeat(10_000)], ['numeric string', '00000000000000000000123'],
  ];
}

export function adversarialEvents(info: RuleInfo, sample: Record<string, unknown>, hugeBytes: number): [string, Record<string, unknown>][] {
  const events: [string, Record<string, unknown>][] = [['empty event', {}]];
  const fields = info.fields.length > 0 ? info.fields : ['CommandLine', 'Image'];
  for (const field of fields) {
    const without = { ...sample };
    delete without[field];
    events.push([`without ${field}`, without]);
    for (const [name, value] of oddValues(hugeBytes)) events.push([`${field} = ${name}`, { ...sample, [field]: value }]);
    const [head, ...rest] = field.split('.');
    if (rest.length > 0) {
      events.push([`${head} not an object`, { ...sample, [head!]: 'flat' }]);
      events.push([`${head} deep`, { ...sample, [head!]: deep(5_000, {}, false) }]);
    }
  }
  events.push(['prototype keys', { ...sample, ...(JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{}},"toString":1}') as object) }]);
  events.push(['many fields', Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`F${i}`, `v${i}`]))]);
  return events;
}

export function runAdversarial(compiled: PackRules, samples: Map<string, Record<string, unknown>>, options: AdversarialOptions): AdversarialRun {
  const errors: ContentDiagnostic[] = [];
  let events = 0;
  let slowestMs = 0;
  let slowestRule: string | undefined;
  const all: [string, Record<string, unknown>][] = [];
  for (const info of compiled.rules.values()) {
    if (info.kind !== 'detection') continue;
    options.onRule?.(info.id);
    const engine = createDetectionEngine(compileSingleRule(info.rule));
    const generated = adversarialEvents(info, samples.get(info.id) ?? {}, options.hugeBytes);
    let stalls = 0;
    for (const [name, event] of generated) {
      events++;
      const started = options.now();
      try {
        engine.match(event, info.logsource);
      } catch (error) {
        errors.push(contentDiagnostic(ContentCodes.adversarialFailure, `The engine threw on "${name}": ${(error as Error).message}`, { file: info.file, line: info.line, ruleId: info.id }));
      }
      const elapsed = options.now() - started;
      if (elapsed > slowestMs) { slowestMs = elapsed; slowestRule = info.id; }
      // Reaching the budget is a stall: a CPU clock advances in steps, so a 0 ms budget must not depend on one.
      if (elapsed >= options.stallMs && stalls++ < 3) {
        errors.push(contentDiagnostic(ContentCodes.adversarialFailure, `Stalled on "${name}": ${elapsed.toFixed(1)} ms, budget ${options.stallMs} ms`, { file: info.file, line: info.line, ruleId: info.id }));
      }
    }
    for (const q of engine.quarantined()) {
      errors.push(contentDiagnostic(ContentCodes.adversarialFailure, `The engine quarantined the rule on adversarial input: ${q.reason}`, { file: info.file, line: info.line, ruleId: q.ruleId }));
    }
    all.push(...generated.slice(0, 12));
  }
  // Then the whole pack at once, with filters and correlations, on a sample of the same events.
  const evaluator = createEvaluator(compiled.ruleSet);
  all.forEach(([name, event], i) => {
    try {
      evaluator.evaluate(event, { timeMs: i, eventIndex: i });
    } catch (error) {
      errors.push(contentDiagnostic(ContentCodes.adversarialFailure, `The evaluator threw on "${name}": ${(error as Error).message}`));
    }
  });
  for (const q of evaluator.quarantined()) errors.push(contentDiagnostic(ContentCodes.adversarialFailure, `The evaluator quarantined a rule on adversarial input: ${q.reason}`, { ruleId: q.ruleId }));
  return { events: events + all.length, slowestMs, ...(slowestRule ? { slowestRule } : {}), errors };
}
