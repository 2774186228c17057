// A pack's own tests, one or more YAML documents per file under tests/: for a rule id, events that must
// match it and events that must not; for correlations, event sequences that must (or must not) fire.
import { parseAllDocuments, isMap } from 'yaml';
import { ContentCodes, contentDiagnostic } from './diagnostics.ts';
import type { ContentDiagnostic } from './diagnostics.ts';
import type { PackFile } from './bundle.ts';

export type Logsource = { product?: string; category?: string; service?: string };
export type TestEvent = Record<string, unknown>;

export type RuleTestCase =
  | { kind: 'match'; event: TestEvent; logsource?: Logsource; file: string; line?: number; index: number }
  | { kind: 'nomatch'; event: TestEvent; logsource?: Logsource; file: string; line?: number; index: number }
  | { kind: 'sequence'; expect: 'fire' | 'quiet'; events: TestEvent[]; stepMs: number; logsource?: Logsource; file: string; line?: number; index: number };

export type RuleTests = { ruleId: string; cases: RuleTestCase[] };

const docKeys = new Set(['rule', 'logsource', 'match', 'nomatch', 'sequences', 'description']);

export function parseRuleTests(files: readonly PackFile[]): { tests: RuleTests[]; diagnostics: ContentDiagnostic[] } {
  const byRule = new Map<string, RuleTestCase[]>();
  const diagnostics: ContentDiagnostic[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(file.text, { prettyErrors: false, uniqueKeys: true }) as ReturnType<typeof parseAllDocuments> & unknown[]) {
      if (!('errors' in doc)) continue;
      const line = doc.contents?.range ? lineAt(file.text, doc.contents.range[0]) : undefined;
      const bad = (message: string) => diagnostics.push(contentDiagnostic(ContentCodes.testsInvalid, `Cannot parse tests: ${message}`, { file: file.path, ...(line ? { line } : {}) }));
      if (doc.errors.length > 0) { bad(doc.errors[0]!.message.split('\n')[0]!); continue; }
      if (doc.contents === null) continue;
      if (!isMap(doc.contents)) { bad('a test document is a mapping'); continue; }
      const raw = doc.toJS() as Record<string, unknown>;
      const unknown = Object.keys(raw).filter((k) => !docKeys.has(k));
      if (unknown.length > 0) { bad(`field "${unknown[0]}" is not a test field (${[...docKeys].join(', ')})`); continue; }
      const ruleId = raw['rule'];
      if (typeof ruleId !== 'string' || ruleId === '') { bad('field "rule" (the rule id under test) is missing'); continue; }
      const logsource = raw['logsource'];
      if (logsource !== undefined && !isLogsource(logsource)) { bad('field "logsource" must map product/category/service to strings'); continue; }
      const cases = byRule.get(ruleId) ?? [];
      const where = { file: file.path, ...(line ? { line } : {}), ...(logsource ? { logsource } : {}) };
      for (const kind of ['match', 'nomatch'] as const) {
        const events = raw[kind];
        if (events === undefined) continue;
        if (!Array.isArray(events) || !events.every(isEvent)) { bad(`field "${kind}" must be a list of events (mappings)`); continue; }
        events.forEach((event, index) => cases.push({ kind, event, index, ...where }));
      }
      const sequences = raw['sequences'];
      if (sequences !== undefined) {
        if (!Array.isArray(sequences)) { bad('field "sequences" must be a list'); continue; }
        sequences.forEach((s: unknown, index) => {
          const seq = s as Record<string, unknown> | null;
          const expect = seq?.['expect'] ?? 'fire';
          const stepMs = seq?.['stepMs'] ?? 1000;
          if (!seq || !Array.isArray(seq['events']) || !seq['events'].every(isEvent) || (expect !== 'fire' && expect !== 'quiet') || typeof stepMs !== 'number' || stepMs < 0) {
            bad(`sequences[${index}] needs "events" (a list of mappings), "expect" fire|quiet and a non-negative "stepMs"`);
            return;
          }
          cases.push({ kind: 'sequence', expect, events: seq['events'] as TestEvent[], stepMs, index, ...where });
        });
      }
      byRule.set(ruleId, cases);
    }
  }
  return { tests: [...byRule].map(([ruleId, cases]) => ({ ruleId, cases })), diagnostics };
}

function isEvent(value: unknown): value is TestEvent {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLogsource(value: unknown): value is Logsource {
  return isEvent(value) && Object.entries(value).every(([k, v]) => ['product', 'category', 'service'].includes(k) && typeof v === 'string');
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
