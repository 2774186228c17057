// Where the agent's rules come from: rule files given on the command line (`--rules`), or the on-host
// content store (seeded with the starter pack on first start, guarded against crash loops, last-known-
// good when the active version is damaged).
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildPack, compilePackRules, formatContentDiagnostic, guardAgentStart, openStore, starterPackDir,
  type ContentStore, type CrashLoopPolicy, type StartDecision,
} from '../content/index.ts';
import { loadRuleSet, formatDiagnostic } from '../sigma/index.ts';
import { agentDiagnostic, AgentCodes, type AgentResult } from './diagnostics.ts';
import type { LoadedContent } from './pipeline.ts';
import { preventionRulesOf } from './prevention.ts';

/** `denyTags`: the rules carrying one are also kept as parsed, for the exec decider. */
export type RuleLoadOptions = { placeholders: Record<string, string[]>; denyTags: readonly string[] };

const ruleFilePattern = /\.ya?ml$/i;

/** Rule files under the given paths (files as given, directories searched recursively), sorted. */
export function findRuleFiles(paths: readonly string[]): AgentResult<string[]> {
  const files: string[] = [];
  const problems = [];
  for (const path of paths) {
    try {
      if (statSync(path).isDirectory()) files.push(...walk(path));
      else files.push(path);
    } catch (error) {
      problems.push(agentDiagnostic(AgentCodes.rulesUnreadable, `cannot read rules: ${(error as Error).message}`, { file: path }));
    }
  }
  return problems.length > 0 ? { ok: false, diagnostics: problems } : { ok: true, value: files };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return ruleFilePattern.test(entry.name) ? [path] : [];
  });
}

export function loadRuleFiles(paths: readonly string[], options: RuleLoadOptions): AgentResult<LoadedContent> {
  const found = findRuleFiles(paths);
  if (!found.ok) return found;
  const sources = [];
  for (const file of found.value) {
    try {
      sources.push({ name: file, text: readFileSync(file, 'utf8') });
    } catch (error) {
      return { ok: false, diagnostics: [agentDiagnostic(AgentCodes.rulesUnreadable, `cannot read rule file: ${(error as Error).message}`, { file })] };
    }
  }
  const load = loadRuleSet(sources, { placeholders: options.placeholders });
  const rejected = load.rules.filter((r) => !r.ok).map((r) => ({ source: r.source, id: r.id, reason: r.diagnostics[0] ? formatDiagnostic(r.diagnostics[0]) : r.reason ?? 'rejected' }));
  if (load.ruleSet.rules.length === 0) {
    return { ok: false, diagnostics: [agentDiagnostic(AgentCodes.rulesEmpty, `no rule could be loaded from ${paths.join(', ')}${rejected.length > 0 ? ` (${rejected.length} rejected; first: ${rejected[0]!.reason})` : ''}`)] };
  }
  return { ok: true, value: { ruleSet: load.ruleSet, version: null, packName: null, label: `${found.value.length} rule file(s)`, rejected, preventionRules: preventionRulesOf(load.parsed, options.denyTags) } };
}

export type StoreContent = { store: ContentStore; decision: StartDecision; seeded: string | null };

/** Opens the store, seeds it on first start, installs the trusted root, and applies the crash-loop guard. */
export function openContentStore(options: { dir: string; rootFile?: string; policy: CrashLoopPolicy; now: Date }): AgentResult<StoreContent> {
  const opened = openStore(options.dir);
  if (!opened.ok) return { ok: false, diagnostics: opened.diagnostics.map((d) => agentDiagnostic(AgentCodes.contentUnavailable, formatContentDiagnostic(d), { file: options.dir })) };
  const store = opened.value;
  if (options.rootFile !== undefined && !existsSync(join(store.tufDir, 'root.json'))) {
    try {
      copyFileSync(options.rootFile, join(store.tufDir, 'root.json'));
    } catch (error) {
      return { ok: false, diagnostics: [agentDiagnostic(AgentCodes.contentUnavailable, `cannot install the repository's root metadata: ${(error as Error).message}`, { file: options.rootFile, key: 'content.rootFile' })] };
    }
  }
  let seeded: string | null = null;
  if (store.state().active === undefined) {
    const built = buildPack(starterPackDir);
    if (!built.ok) return { ok: false, diagnostics: built.diagnostics.map((d) => agentDiagnostic(AgentCodes.contentUnavailable, `starter pack: ${formatContentDiagnostic(d)}`)) };
    const ref = store.seed(built.value.bytes, options.now);
    if (!ref.ok) return { ok: false, diagnostics: ref.diagnostics.map((d) => agentDiagnostic(AgentCodes.contentUnavailable, formatContentDiagnostic(d))) };
    seeded = ref.value.id;
  }
  const decision = guardAgentStart(store, options.now, options.policy);
  return { ok: true, value: { store, decision, seeded } };
}

/** Compiles what the store says should run now. */
export function loadFromStore(store: ContentStore, now: Date, options: RuleLoadOptions): AgentResult<LoadedContent> {
  const active = store.load(now);
  if (!active.ok) return { ok: false, diagnostics: active.diagnostics.map((d) => agentDiagnostic(AgentCodes.contentUnavailable, formatContentDiagnostic(d), { file: store.dir })) };
  const compiled = compilePackRules(active.value.pack, options.placeholders);
  const rejected = compiled.load.rules.filter((r) => !r.ok).map((r) => ({ source: r.source, id: r.id, reason: r.reason ?? 'rejected' }));
  const { name, version } = active.value.ref;
  return { ok: true, value: { ruleSet: compiled.ruleSet, version, packName: name, label: `${name}@${version}${active.value.role === 'active' ? '' : ` (${active.value.role})`}`, rejected, preventionRules: preventionRulesOf(compiled.load.parsed, options.denyTags) } };
}
