// Sigma engine throughput on one core. Each scenario runs in its own process (clean peak RSS):
//   linux_rules:    Linux process_creation/file_event/network_connection events × ../shared/sigma/rules/linux
//   windows_process_creation: Windows process_creation events × every process_creation rule under rules/
//   json_parse_floor: JSON.parse of the Linux lines (in the pipeline's batches) and nothing else
// Events go through the pipeline as the agent runs it: a batch decoded, then its events evaluated
// (bench/lib/batches.ts). Prints one JSON line per scenario: events_per_s (CPU time of one core),
// us_per_event, wall_events_per_s, rss_mb (peak), rules, matches, and the machine; for Linux also the
// ratio to the floor, batched and per event (each line decoded, then evaluated, before the next).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createEvaluator, loadRuleSet } from '../src/sigma/index.ts';
import { readRuleFiles } from '../src/content/rule-files.ts';
import { generateEventLines } from './lib/sigma-events.ts';
import { machine } from './lib/machine.ts';
import { cpuSeconds, median } from './lib/cpu-time.ts';
import { timeInChunks } from './lib/chunked.ts';
import { inBatches, perEvent, batchEvents, type Decoded } from './lib/batches.ts';

const sigmaRoot = fileURLToPath(new URL('../../shared/sigma/', import.meta.url));
const eventCount = Number(process.env.BENCH_EVENTS ?? 200_000);
const rounds = 7;
/** Linux: events per chunk of the interleaved floor and engine timing (~5 ms of engine work). */
const chunkEvents = 2_000;
type Scenario = 'linux_rules' | 'windows_process_creation' | 'json_parse_floor';
const scenarios: Scenario[] = ['json_parse_floor', 'linux_rules', 'windows_process_creation'];

const requested = process.argv[2] as Scenario | undefined;
if (requested) {
  process.stdout.write(JSON.stringify(await runScenario(requested)) + '\n');
} else {
  const results: Record<string, { us_per_event: number; floor_us_per_event?: number; ratio_to_floor?: number; per_event_ratio_to_floor?: number }> = {};
  for (const scenario of scenarios) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), scenario], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = JSON.parse(out.trim().split('\n').pop()!);
    results[scenario] = line;
    process.stdout.write(JSON.stringify({ ...line, machine: machine() }) + '\n');
  }
  // The ratio comes from the same process, the floor's and the engine's timing interleaved in chunks:
  // on a shared machine, two processes seconds apart differ by ±10 % on their own. The ratio of the
  // separate processes is printed beside it.
  const linux = results.linux_rules!;
  const crossProcess = linux.us_per_event / results.json_parse_floor!.us_per_event;
  process.stdout.write(JSON.stringify({
    name: 'linux_rules_vs_floor', time_per_event_ratio: linux.ratio_to_floor, floor_us_per_event: linux.floor_us_per_event,
    batch_events: batchEvents, per_event_time_ratio: linux.per_event_ratio_to_floor,
    cross_process_ratio: Number(crossProcess.toFixed(2)), target_max_ratio: 2,
  }) + '\n');
}

async function runScenario(scenario: Scenario) {
  const lines = generateEventLines(scenario === 'windows_process_creation' ? 'windows' : 'linux', eventCount);
  let rules = 0;
  let matches = 0;
  // The pipeline as the agent runs it (bench/lib/batches.ts): a batch of lines decoded, then its events
  // evaluated. The floor is the decoding alone.
  let evaluate: ((event: Decoded, index: number) => void) | undefined;
  let evaluateUncounted: ((event: Decoded, index: number) => void) | undefined;
  if (scenario !== 'json_parse_floor') {
    const sources = scenario === 'linux_rules' ? (await readRuleFiles([join(sigmaRoot, 'rules/linux')])).sources : await processCreationRules();
    const loaded = loadRuleSet(sources);
    rules = loaded.ruleSet.detections.length;
    const evaluator = createEvaluator(loaded.ruleSet);
    const run = (event: Decoded, index: number) => {
      const logsource = event.logsource as { product: string; category: string };
      const result = evaluator.evaluate(event, { timeMs: 0, eventIndex: index, logsource });
      return result.detections.length + result.correlations.length;
    };
    evaluate = (event, index) => { matches += run(event, index); };
    evaluateUncounted = run;
  }
  // CPU time (bench/lib/cpu-time.ts), median of the rounds.
  const timings: number[] = [];
  const wall: number[] = [];
  // Linux: the floor (decoding alone) is timed on the same lines, interleaved with the engine in
  // chunks of a few milliseconds (which goes first alternating), so both see the same machine: on a
  // shared host the speed drifts within a second, and a ratio of whole rounds moved by ±15 %. The
  // engine decoding and evaluating alternately per event is timed in the same chunks.
  const floor: number[] = [];
  const ratios: number[] = [];
  const perEventRatios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    matches = 0;
    let engineWall = 0;
    const runPipeline = (start: number, end: number) => {
      const started = process.hrtime.bigint();
      inBatches(lines, start, end, evaluate);
      engineWall += Number(process.hrtime.bigint() - started) / 1e9;
    };
    let engineSeconds: number;
    if (scenario === 'linux_rules') {
      const decodeOnly = (start: number, end: number) => inBatches(lines, start, end);
      const alternating = (start: number, end: number) => perEvent(lines, start, end, evaluateUncounted!);
      const [floorSeconds, seconds, perEventSeconds] = timeInChunks(lines.length, chunkEvents, [decodeOnly, runPipeline, alternating], round) as [number, number, number];
      engineSeconds = seconds;
      floor.push(floorSeconds);
      ratios.push(engineSeconds / floorSeconds);
      perEventRatios.push(perEventSeconds / floorSeconds);
    } else {
      engineSeconds = cpuSeconds(() => runPipeline(0, lines.length));
    }
    timings.push(engineSeconds);
    wall.push(engineWall);
  }
  const seconds = median(timings); // median round: the first rounds also warm up the JIT
  return {
    name: scenario,
    events: lines.length,
    rules,
    matches,
    events_per_s: Math.round(lines.length / seconds),
    us_per_event: Number(((seconds / lines.length) * 1e6).toFixed(3)),
    wall_events_per_s: Math.round(lines.length / median(wall)),
    rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(ratios.length > 0 ? {
      floor_us_per_event: Number(((median(floor) / lines.length) * 1e6).toFixed(3)),
      ratio_to_floor: Number(median(ratios).toFixed(2)),
      per_event_ratio_to_floor: Number(median(perEventRatios).toFixed(2)),
    } : {}),
  };
}

/** Every rule under rules/ whose logsource category is process_creation. */
async function processCreationRules() {
  const { sources } = await readRuleFiles([join(sigmaRoot, 'rules')]);
  const out = [];
  for (const source of sources) if (/^\s*category:\s*process_creation\s*$/m.test(source.text)) out.push(source);
  return out;
}
