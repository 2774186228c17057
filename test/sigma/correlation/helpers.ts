// Builds correlation rules from YAML the way the rule loader will, for the correlation tests.
import { parse } from 'yaml';
import type { CorrelationRule, RuleMeta } from '../../../src/sigma/ast.ts';
import {
  compileCorrelations,
  createCorrelationEngine,
  parseCorrelationSection,
  type CorrelationEngine,
  type CorrelationEngineOptions,
} from '../../../src/sigma/correlation/index.ts';

export function meta(id: string, name?: string): RuleMeta {
  return { id, ...(name ? { name } : {}), title: `rule ${id}`, tags: [], references: [], falsepositives: [], source: 'test.yml', line: 1 };
}

/** A correlation rule from the YAML of a whole rule document; fails the test if it does not parse. */
export function correlation(yamlText: string): CorrelationRule {
  const doc = parse(yamlText) as { id: string; name?: string; title?: string; correlation: unknown };
  const result = parseCorrelationSection(doc.correlation, { source: 'test.yml', ruleId: doc.id, line: 1 });
  if (!result.ok) throw new Error(`did not parse: ${JSON.stringify(result.diagnostics)}`);
  return { ...meta(doc.id, doc.name), kind: 'correlation', correlation: result.correlation };
}

/** The id and name map the loader would pass: every detection and correlation by id and by name. */
export function knownMap(detections: RuleMeta[], correlations: CorrelationRule[]): Map<string, RuleMeta> {
  const known = new Map<string, RuleMeta>();
  for (const rule of [...detections, ...correlations]) {
    const { kind: _kind, correlation: _c, ...m } = rule as CorrelationRule;
    known.set(rule.id, m);
    if (rule.name) known.set(rule.name, m);
  }
  return known;
}

export function engineFor(yamlDocs: string[], detections: RuleMeta[], options?: CorrelationEngineOptions): CorrelationEngine {
  const rules = yamlDocs.map(correlation);
  const { compiled, diagnostics } = compileCorrelations(rules, knownMap(detections, rules));
  if (diagnostics.length > 0) throw new Error(`did not compile: ${JSON.stringify(diagnostics)}`);
  return createCorrelationEngine(compiled, options);
}

/** Feeds (ruleId, event, seconds) steps and returns every firing with the index of the step. */
export function run(engine: CorrelationEngine, steps: [string, Record<string, unknown>, number][]) {
  return steps.flatMap(([ruleId, event, seconds], eventIndex) =>
    engine.process(ruleId, event, { timeMs: seconds * 1000, eventIndex }).map((f) => ({ ...f, at: eventIndex })),
  );
}
