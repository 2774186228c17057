// A/B of versions of the Sigma engine in one process: `node bench/sigma-ab.ts DIR_A DIR_B [DIR…]`,
// where each DIR holds a copy of src/ and reaches node_modules (for example
// `git worktree add /tmp/a HEAD~1 && ln -s "$PWD/node_modules" /tmp/a/`). Each round runs the Linux
// stream of bench:sigma against rules/linux in chunks of 2,000 events; per chunk the floor
// (`JSON.parse` alone) and every version take their turn, the order rotating, so all are timed on the
// same moments of a drifting machine. Prints one JSON line per version: its time per event as a ratio
// to the floor (median of the rounds) and its time relative to the first version (median of the
// per-round quotients). Two identical copies come out within ~2.5 % of each other; a smaller
// difference is not a result: confirm it with instruction and miss counts (src/sigma/README,
// "Where the time goes").
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { readRuleFiles } from '../src/content/rule-files.ts';
import { generateEventLines } from './lib/sigma-events.ts';
import { median } from './lib/cpu-time.ts';
import { timeInChunks } from './lib/chunked.ts';
import { inBatches, perEvent, type Decoded } from './lib/batches.ts';
import type { Evaluator, LoadResult, RuleSourceText } from '../src/sigma/index.ts';

type Engine = { createEvaluator: (ruleSet: LoadResult['ruleSet']) => Evaluator; loadRuleSet: (sources: readonly RuleSourceText[]) => LoadResult };

const roots = process.argv.slice(2).map((dir) => resolve(dir));
if (roots.length < 2) {
  process.stderr.write('usage: node bench/sigma-ab.ts DIR_A DIR_B [DIR…] (each with a copy of src/)\n');
  process.exit(2);
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
const warmup = 1;
const chunk = 2_000;
const lines = generateEventLines('linux', Number(process.env.BENCH_EVENTS ?? 100_000));
const { sources } = await readRuleFiles([fileURLToPath(new URL('../../shared/sigma/rules/linux', import.meta.url))]);
const evaluators: Evaluator[] = [];
for (const root of roots) {
  const engine = (await import(pathToFileURL(join(root, 'src/sigma/index.ts')).href)) as Engine;
  evaluators.push(engine.createEvaluator(engine.loadRuleSet(sources).ruleSet));
}

// The pipeline of bench:sigma (bench/lib/batches.ts): a batch of lines decoded, then its events
// evaluated; BENCH_BATCH=0 decodes and evaluates line by line instead.
const batched = process.env.BENCH_BATCH !== '0';
const parseOnly = (from: number, to: number) => (batched ? inBatches(lines, from, to) : perEvent(lines, from, to, () => {}));
const evaluate = (evaluator: Evaluator) => {
  const one = (event: Decoded, index: number) => { evaluator.evaluate(event, { timeMs: 0, eventIndex: index, logsource: event.logsource as { product: string; category: string } }); };
  return (from: number, to: number) => (batched ? inBatches(lines, from, to, one) : perEvent(lines, from, to, one));
};

/** Per version, per measured round: its time over the floor's. */
const ratios: number[][] = roots.map(() => []);
for (let round = 0; round < rounds; round++) {
  const [floor, ...spent] = timeInChunks(lines.length, chunk, [parseOnly, ...evaluators.map(evaluate)], round);
  if (round >= warmup) spent.forEach((seconds, k) => ratios[k]!.push(seconds / floor!));
}
roots.forEach((root, k) => {
  process.stdout.write(JSON.stringify({
    name: 'sigma_ab', root, events: lines.length,
    ratio_to_floor: Number(median(ratios[k]!).toFixed(3)),
    time_vs_first: Number(median(ratios[k]!.map((ratio, round) => ratio / ratios[0]![round]!)).toFixed(3)),
  }) + '\n');
});
