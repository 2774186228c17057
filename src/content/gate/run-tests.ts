// Runs a pack's own tests in the real engine: every event that must match a rule does, every event
// that must not does not, every correlation sequence fires or stays quiet as written. Every detection
// and correlation rule needs at least one positive test; a field no test event carries is a warning.
import { createDetectionEngine, createEvaluator } from '../../sigma/index.ts';
import { ContentCodes, contentDiagnostic } from '../diagnostics.ts';
import type { ContentDiagnostic } from '../diagnostics.ts';
import { parseRuleTests } from '../rule-tests.ts';
import type { RuleTestCase } from '../rule-tests.ts';
import { testFiles } from '../bundle.ts';
import type { Pack } from '../bundle.ts';
import type { PackRules } from './pack-rules.ts';

export type TestRun = { passed: number; failed: number; errors: ContentDiagnostic[]; warnings: ContentDiagnostic[] };

export function runPackTests(pack: Pick<Pack, 'files'>, compiled: PackRules): TestRun {
  const { tests, diagnostics } = parseRuleTests(testFiles(pack));
  const errors: ContentDiagnostic[] = [...diagnostics];
  const warnings: ContentDiagnostic[] = [];
  const engine = createDetectionEngine(compiled.ruleSet);
  let passed = 0;
  let failed = 0;
  const tested = new Set<string>();
  for (const { ruleId, cases } of tests) {
    const info = compiled.rules.get(ruleId);
    if (!info) {
      errors.push(contentDiagnostic(ContentCodes.testsInvalid, `Tests name rule "${ruleId}", which the pack does not have (or the engine rejected)`, { file: cases[0]?.file ?? 'tests/' }));
      continue;
    }
    for (const c of cases) {
      const problem = runCase(c, ruleId, info.logsource, engine, compiled);
      if (problem) {
        failed++;
        errors.push(contentDiagnostic(ContentCodes.testFailed, problem, { file: c.file, ...(c.line ? { line: c.line } : {}), ruleId }));
      } else {
        passed++;
        if (c.kind === 'match' || (c.kind === 'sequence' && c.expect === 'fire')) tested.add(ruleId);
      }
    }
    const seen = new Set(cases.flatMap((c) => (c.kind === 'sequence' ? c.events : [c.event]).flatMap((e) => Object.keys(e))));
    for (const field of info.fields) {
      if (!seen.has(field) && !seen.has(field.split('.')[0]!)) {
        warnings.push(contentDiagnostic(ContentCodes.ruleUntested, `No test event carries field "${field}", which the rule reads`, { file: info.file, line: info.line, ruleId }));
      }
    }
  }
  for (const info of compiled.rules.values()) {
    if (info.kind !== 'filter' && !tested.has(info.id)) {
      errors.push(contentDiagnostic(ContentCodes.ruleUntested, `Rule "${info.title}" has no passing positive test (an event under "match:" or a sequence that fires)`, { file: info.file, line: info.line, ruleId: info.id }));
    }
  }
  return { passed, failed, errors, warnings };
}

function runCase(c: RuleTestCase, ruleId: string, ruleLogsource: RuleTestCase['logsource'], engine: ReturnType<typeof createDetectionEngine>, compiled: PackRules): string | undefined {
  const what = `${c.kind}[${c.index}]`;
  try {
    if (c.kind === 'sequence') {
      const evaluator = createEvaluator(compiled.ruleSet);
      let fired = false;
      c.events.forEach((event, i) => {
        const result = evaluator.evaluate(event, { timeMs: i * c.stepMs, eventIndex: i, ...(c.logsource ? { logsource: c.logsource } : {}) });
        if (result.correlations.some((f) => f.rule.id === ruleId)) fired = true;
      });
      if (fired !== (c.expect === 'fire')) return `sequences[${c.index}] expected the correlation to ${c.expect === 'fire' ? 'fire' : 'stay quiet'}, it ${fired ? 'fired' : 'did not fire'}`;
      return undefined;
    }
    const logsource = c.logsource ?? ruleLogsource;
    const matched = engine.match(c.event, logsource).some((m) => m.rule.id === ruleId);
    if (c.kind === 'match' && !matched) return `${what}: the event should match the rule and does not: ${preview(c.event)}`;
    if (c.kind === 'nomatch' && matched) return `${what}: the event must not match the rule and does: ${preview(c.event)}`;
    const q = engine.quarantined().find((r) => r.ruleId === ruleId);
    if (q) return `${what}: the engine quarantined the rule: ${q.reason}`;
    return undefined;
  } catch (error) {
    return `${what}: the engine threw: ${(error as Error).message}`;
  }
}

function preview(event: unknown): string {
  const text = JSON.stringify(event) ?? '';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
