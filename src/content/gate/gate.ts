// The release gate (and, in `host` mode, the proof a host runs before swapping content in): the real
// engine compiles every rule, runs every test, checks the engine range, survives adversarial events,
// and keeps its throughput within the allowed drop from the previous version. One report, every check.
import { ContentCodes, contentDiagnostic } from '../diagnostics.ts';
import type { ContentDiagnostic } from '../diagnostics.ts';
import { decodeBundle, testFiles } from '../bundle.ts';
import { packId } from '../manifest.ts';
import { satisfies } from '../semver.ts';
import { parseRuleTests } from '../rule-tests.ts';
import { compilePackRules } from './pack-rules.ts';
import { runPackTests } from './run-tests.ts';
import { runAdversarial } from './adversarial.ts';
import { compareThroughput, referenceStream } from './throughput.ts';
import type { StreamEvent } from './throughput.ts';

export type GateMode = 'release' | 'host';

/** Plain data, so it can cross into a worker. */
export type GateSettings = {
  mode: GateMode;
  engineVersion: string;
  stallMs?: number;
  hugeBytes?: number;
  /** Bytes of the previous version's bundle, to compare throughput with. */
  baseline?: Uint8Array;
  /** Allowed share below the previous version's throughput, e.g. 0.2 for 20 %. */
  maxThroughputDrop?: number;
  streamSize?: number;
  rounds?: number;
  minMs?: number;
  placeholders?: Record<string, string[]>;
};

export type CheckName = 'bundle' | 'compile' | 'engine' | 'tests' | 'adversarial' | 'throughput' | 'limits';
export type GateCheck = { name: CheckName; ok: boolean; summary: string; diagnostics: ContentDiagnostic[] };
export type GateFigures = { rules?: number; tests?: number; adversarialEvents?: number; slowestEventMs?: number; eventsPerS?: number; baselineEventsPerS?: number; heapUsedMb?: number; elapsedMs?: number };
export type GateReport = { pack?: string; mode: GateMode; ok: boolean; checks: GateCheck[]; warnings: ContentDiagnostic[]; figures: GateFigures };

export type GateRuntime = {
  now: () => number;
  /**
   * The thread's CPU time in ms: throughput and the adversarial time budget are measured with it, so
   * other load on the machine neither skews the ratio nor turns a preempted event into a stall.
   */
  cpuNow?: () => number;
  onProgress?: (what: string) => void;
  heapUsedMb?: () => number;
};

export function runGate(bytes: Uint8Array, settings: GateSettings, runtime: GateRuntime): GateReport {
  const started = runtime.now();
  const checks: GateCheck[] = [];
  const warnings: ContentDiagnostic[] = [];
  const figures: GateFigures = {};
  const finish = (pack?: string): GateReport => {
    figures.elapsedMs = Math.round(runtime.now() - started);
    if (runtime.heapUsedMb) figures.heapUsedMb = Math.round(runtime.heapUsedMb());
    return { ...(pack ? { pack } : {}), mode: settings.mode, ok: checks.every((c) => c.ok), checks, warnings, figures };
  };
  const decoded = decodeBundle(bytes);
  if (!decoded.ok) { checks.push({ name: 'bundle', ok: false, summary: 'the bundle cannot be opened', diagnostics: decoded.diagnostics }); return finish(); }
  const pack = decoded.value;
  const id = packId(pack.manifest);
  checks.push({ name: 'bundle', ok: true, summary: `${pack.files.length} files, sha256 ${pack.digest.slice(0, 16)}…`, diagnostics: [] });

  const compatible = satisfies(settings.engineVersion, pack.manifest.engine);
  checks.push({ name: 'engine', ok: compatible, summary: `pack needs ${pack.manifest.engine}, engine is ${settings.engineVersion}`,
    diagnostics: compatible ? [] : [contentDiagnostic(ContentCodes.engineIncompatible, `${id} needs engine ${pack.manifest.engine}; this engine is ${settings.engineVersion}`, { file: 'pack.yaml' })] });

  runtime.onProgress?.('compile');
  const compiled = compilePackRules(pack, settings.placeholders);
  figures.rules = compiled.rules.size;
  const empty = compiled.rules.size === 0 ? [contentDiagnostic(ContentCodes.ruleRejected, 'The pack has no rule the engine accepts')] : [];
  checks.push({ name: 'compile', ok: compiled.diagnostics.length === 0 && empty.length === 0, summary: `${compiled.rules.size} rules compiled, ${compiled.diagnostics.length} rejected`, diagnostics: [...compiled.diagnostics, ...empty] });

  runtime.onProgress?.('tests');
  const tests = runPackTests(pack, compiled);
  figures.tests = tests.passed + tests.failed;
  warnings.push(...tests.warnings);
  checks.push({ name: 'tests', ok: tests.errors.length === 0, summary: `${tests.passed} passed, ${tests.failed} failed`, diagnostics: tests.errors });

  const samples = samplesByRule(pack);
  const adversarial = runAdversarial(compiled, samples, {
    stallMs: settings.stallMs ?? (settings.mode === 'release' ? 250 : 500),
    hugeBytes: settings.hugeBytes ?? (settings.mode === 'release' ? 256 * 1024 : 64 * 1024),
    now: runtime.cpuNow ?? runtime.now, onRule: (rule) => runtime.onProgress?.(`adversarial ${rule}`),
  });
  figures.adversarialEvents = adversarial.events;
  figures.slowestEventMs = Math.round(adversarial.slowestMs * 10) / 10;
  checks.push({ name: 'adversarial', ok: adversarial.errors.length === 0, summary: `${adversarial.events} events, slowest ${adversarial.slowestMs.toFixed(1)} ms${adversarial.slowestRule ? ` (${adversarial.slowestRule})` : ''}`, diagnostics: adversarial.errors });

  if (settings.mode === 'release') {
    runtime.onProgress?.('throughput');
    checks.push(throughputCheck(compiled.ruleSet, pack, settings, runtime, figures));
  }
  return finish(id);
}

function throughputCheck(ruleSet: ReturnType<typeof compilePackRules>['ruleSet'], pack: Parameters<typeof samplesByRule>[0], settings: GateSettings, runtime: GateRuntime, figures: GateFigures): GateCheck {
  let baseline;
  if (settings.baseline) {
    const previous = decodeBundle(settings.baseline, 'baseline');
    if (!previous.ok) return { name: 'throughput', ok: false, summary: 'the baseline bundle cannot be opened', diagnostics: previous.diagnostics };
    baseline = compilePackRules(previous.value, settings.placeholders).ruleSet;
  }
  const extra: StreamEvent[] = parseRuleTests(testFiles(pack)).tests.flatMap((t) => t.cases.flatMap((c) => (c.kind === 'match' ? [{ event: c.event, logsource: c.logsource ?? {} }] : [])));
  const stream = referenceStream(settings.streamSize ?? 20_000, extra);
  const result = compareThroughput(ruleSet, baseline, stream, { now: runtime.cpuNow ?? runtime.now, rounds: settings.rounds ?? 5, minMs: settings.minMs ?? 250 });
  figures.eventsPerS = Math.round(result.eventsPerS);
  if (result.baselineEventsPerS !== undefined) figures.baselineEventsPerS = Math.round(result.baselineEventsPerS);
  const maxDrop = settings.maxThroughputDrop ?? 0.2;
  if (result.ratio === undefined) return { name: 'throughput', ok: true, summary: `${Math.round(result.eventsPerS)} events/s (no previous version to compare with)`, diagnostics: [] };
  const ok = result.ratio >= 1 - maxDrop;
  const summary = `${Math.round(result.eventsPerS)} events/s, previous version ${Math.round(result.baselineEventsPerS!)} events/s (${(result.ratio * 100).toFixed(0)} %, allowed down to ${((1 - maxDrop) * 100).toFixed(0)} %)`;
  return { name: 'throughput', ok, summary, diagnostics: ok ? [] : [contentDiagnostic(ContentCodes.throughputDrop, `Throughput fell to ${(result.ratio * 100).toFixed(0)} % of the previous version's; at most ${(maxDrop * 100).toFixed(0)} % drop is allowed`)] };
}

/** The first positive test event of each rule: the base that adversarial events are built around. */
function samplesByRule(pack: { files: { path: string; text: string }[] }): Map<string, Record<string, unknown>> {
  const samples = new Map<string, Record<string, unknown>>();
  for (const { ruleId, cases } of parseRuleTests(testFiles(pack)).tests) {
    const first = cases.find((c) => c.kind === 'match');
    if (first && first.kind === 'match') samples.set(ruleId, first.event);
  }
  return samples;
}
