// Test helpers: compile a rule from YAML text and match events against it.
import { createDetectionEngine, loadRuleSet, type CompileOptions, type LoadResult } from '../../src/sigma/index.ts';

export function load(yaml: string, options: CompileOptions = {}): LoadResult {
  return loadRuleSet([{ name: 'test.yml', text: yaml }], options);
}

/** A detection rule with the given detection body (YAML lines, indented by 2). */
export function rule(detection: string, extra = ''): string {
  return `title: test rule\nid: 11111111-1111-4111-8111-111111111111\nlogsource:\n  product: linux\n  category: process_creation\n${extra}detection:\n${detection}\n`;
}

export function matches(yaml: string, event: Record<string, unknown>, options: CompileOptions = {}): boolean {
  const loaded = load(yaml, options);
  const rejected = loaded.rules.filter((r) => !r.ok);
  if (rejected.length > 0) throw new Error(`rule rejected: ${rejected.map((r) => r.reason).join('; ')}`);
  return createDetectionEngine(loaded.ruleSet).match(event).length > 0;
}

export function rejection(yaml: string, options: CompileOptions = {}): string | undefined {
  const loaded = load(yaml, options);
  return loaded.rules.find((r) => !r.ok)?.reason;
}
