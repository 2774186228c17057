// A/B of two versions of the Sigma engine in one process: `node bench/sigma-ab.ts DIR_A DIR_B`, where
// each DIR holds a copy of src/ (for example `git worktree add /tmp/a HEAD~1`). Both evaluate the
// Linux stream of bench:sigma against rules/linux, rounds rotating between them; prints one JSON line
// per version with its median round and its time relative to the first. Alternating rounds in one
// process cancel the machine's drift between processes; two identical copies still came out 0.95–1.04
// apart (code placement, JIT decisions), so a smaller difference is not a result: confirm it with
// instruction counts (src/sigma/README, "Where the time goes").
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { readRuleFiles } from '../src/content/rule-files.ts';
import { generateEventLines } from './lib/sigma-events.ts';
import { cpuSeconds, median } from './lib/cpu-time.ts';
import type { Evaluator, LoadResult, RuleSourceText } from '../src/sigma/index.ts';

type Engine = { createEvaluator: (ruleSet: LoadResult['ruleSet']) => Evaluator; loadRuleSet: (sources: readonly RuleSourceText[]) => LoadResult };

const roots = process.argv.slice(2).map((dir) => resolve(dir));
if (roots.length < 2) {
  process.stderr.write('usage: node bench/sigma-ab.ts DIR_A DIR_B [DIR…] (each with a copy of src/)\n');
  process.exit(2);
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 16);
const warmup = 3;
const lines = generateEventLines('linux', Number(process.env.BENCH_EVENTS ?? 50_000));
const { sources } = await readRuleFiles([fileURLToPath(new URL('../../shared/sigma/rules/linux', import.meta.url))]);
const evaluators: Evaluator[] = [];
for (const root of roots) {
  const engine = (await import(pathToFileURL(join(root, 'src/sigma/index.ts')).href)) as Engine;
  evaluators.push(engine.createEvaluator(engine.loadRuleSet(sources).ruleSet));
}

const times: number[][] = roots.map(() => []);
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < roots.length; k++) {
    const which = (k + round) % roots.length; // each version takes each place in the order in turn
    const evaluator = evaluators[which]!;
    const ms = 1e3 * cpuSeconds(() => {
      for (let i = 0; i < lines.length; i++) {
        const event = JSON.parse(lines[i]!) as Record<string, unknown>;
        evaluator.evaluate(event, { timeMs: 0, eventIndex: i, logsource: event.logsource as { product: string; category: string } });
      }
    });
    if (round >= warmup) times[which]!.push(ms);
  }
}
const first = median(times[0]!);
roots.forEach((root, k) => {
  const ms = median(times[k]!);
  process.stdout.write(JSON.stringify({ name: 'sigma_ab', root, events: lines.length, round_ms: Number(ms.toFixed(1)), us_per_event: Number(((ms * 1e3) / lines.length).toFixed(3)), time_vs_first: Number((ms / first).toFixed(3)) }) + '\n');
});
