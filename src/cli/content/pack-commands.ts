// `ring3 content build | test | import`: pack a directory, run the release gate, import Sigma rules.
import { readFileSync, writeFileSync } from 'node:fs';
import { buildPack, loadPack, runGateInWorker, defaultReleaseLimits, formatGateReport, currentEngineVersion } from '../../content/index.ts';
import { importSigmaDir } from '../../content/import.ts';
import type { CommandContext } from '../context.ts';
import { pathIn, printDiagnostics } from './output.ts';

export function runBuild(dir: string, options: { out: string }, context: CommandContext): number {
  const built = buildPack(pathIn(context, dir));
  if (!built.ok) { printDiagnostics(context, built.diagnostics); return 1; }
  writeFileSync(pathIn(context, options.out), built.value.bytes);
  const { manifest, digest, files } = built.value.pack;
  context.stdout.write(`${manifest.name}@${manifest.version}: ${files.length} files, ${built.value.bytes.length} bytes, sha256 ${digest}\n`);
  return 0;
}

export type TestOptions = { baseline?: string; maxDrop: string; engineVersion?: string; json?: boolean; timeout: string; memory: string; stallMs?: string };

export async function runTest(path: string, options: TestOptions, context: CommandContext): Promise<number> {
  const loaded = loadPack(pathIn(context, path));
  if (!loaded.ok) { printDiagnostics(context, loaded.diagnostics); return 1; }
  const maxThroughputDrop = Number(options.maxDrop);
  if (!(maxThroughputDrop >= 0 && maxThroughputDrop < 1)) { context.stderr.write(`--max-drop: expected a share between 0 and 1, got "${options.maxDrop}"\n`); return 2; }
  const baseline = options.baseline ? loadPack(pathIn(context, options.baseline)) : undefined;
  if (baseline && !baseline.ok) { printDiagnostics(context, baseline.diagnostics); return 1; }
  const report = await runGateInWorker(loaded.value.bytes, {
    mode: 'release', engineVersion: options.engineVersion ?? currentEngineVersion(), maxThroughputDrop,
    ...(baseline?.ok ? { baseline: baseline.value.bytes } : {}),
    ...(options.stallMs ? { stallMs: Number(options.stallMs) } : {}),
  }, { ...defaultReleaseLimits, timeoutMs: Number(options.timeout), maxOldGenerationSizeMb: Number(options.memory) });
  context.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatGateReport(report));
  return report.ok ? 0 : 1;
}

export function runImport(dir: string, options: { out: string; name: string; version: string; publisher: string; engine: string; license: string }, context: CommandContext): number {
  const result = importSigmaDir(pathIn(context, dir), pathIn(context, options.out), { ...options, readFile: (p) => readFileSync(p, 'utf8') });
  if (!result.ok) { printDiagnostics(context, result.diagnostics); return 1; }
  printDiagnostics(context, result.warnings ?? []);
  context.stdout.write(`imported ${result.value.imported} rules into ${options.out} (${result.value.skipped} skipped); they have no tests yet, so the gate will ask for them\n`);
  return 0;
}
