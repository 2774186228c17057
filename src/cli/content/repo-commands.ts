// `ring3 content repo init | timestamp | rotate | delegate`, `content keygen` and `content publish`.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  initRepo, publishBundle, refreshTimestamp, rotateKeys, delegate, generateSigningKey, saveSigningKey, loadSigningKeyFile, repoPaths,
  loadPack, runGateInWorker, defaultReleaseLimits, formatGateReport, currentEngineVersion, decodeBundle, compareVersions,
} from '../../content/index.ts';
import type { PublicKeyJson } from '../../content/index.ts';
import type { CommandContext } from '../context.ts';
import { pathIn, positiveInt, printDiagnostics } from './output.ts';

type RoleName = 'root' | 'targets' | 'snapshot' | 'timestamp';

export function runRepoInit(dir: string, options: Record<string, string>, context: CommandContext): number {
  const roles: Partial<Record<RoleName, { keys: number; threshold: number }>> = {};
  for (const role of ['root', 'targets', 'snapshot', 'timestamp'] as const) {
    roles[role] = { keys: positiveInt(options[`${role}Keys`] ?? '1', `--${role}-keys`), threshold: positiveInt(options[`${role}Threshold`] ?? '1', `--${role}-threshold`) };
  }
  const expiries = { rootDays: Number(options['rootDays'] ?? 365), targetsDays: Number(options['targetsDays'] ?? 90), snapshotDays: Number(options['snapshotDays'] ?? 7), timestampDays: Number(options['timestampDays'] ?? 1) };
  const result = initRepo(pathIn(context, dir), { now: context.now(), roles, expiries });
  if (!result.ok) { printDiagnostics(context, result.diagnostics); return 1; }
  const paths = repoPaths(pathIn(context, dir));
  for (const [role, ids] of Object.entries(result.value.keyIds)) context.stdout.write(`${role}: ${ids.map((id) => id.slice(0, 16)).join(', ')} (threshold ${roles[role as RoleName]!.threshold})\n`);
  context.stdout.write(`serve ${join(paths.dir, 'public')} over HTTP; give agents ${join(paths.metadata, '1.root.json')} as their trusted root\nprivate keys are in ${paths.keys}: move the root keys offline\n`);
  return 0;
}

export type PublishOptions = { repo: string; role?: string; keys?: string[]; skipGate?: boolean; maxDrop: string };

/** Runs the release gate (against the previously published version, if any), then signs and publishes. */
export async function runPublish(bundlePath: string, options: PublishOptions, context: CommandContext): Promise<number> {
  const loaded = loadPack(pathIn(context, bundlePath));
  if (!loaded.ok) { printDiagnostics(context, loaded.diagnostics); return 1; }
  const repoDir = pathIn(context, options.repo);
  if (!options.skipGate) {
    const baseline = previousPublished(repoDir, loaded.value.pack.manifest.name, loaded.value.pack.manifest.version);
    const report = await runGateInWorker(loaded.value.bytes, { mode: 'release', engineVersion: currentEngineVersion(), maxThroughputDrop: Number(options.maxDrop), ...(baseline ? { baseline } : {}) }, defaultReleaseLimits);
    context.stdout.write(formatGateReport(report));
    if (!report.ok) { context.stderr.write('not published: the release gate failed\n'); return 1; }
  }
  const result = publishBundle(repoDir, loaded.value.bytes, { now: context.now(), ...(options.role ? { role: options.role } : {}), keyDirs: (options.keys ?? []).map((k) => pathIn(context, k)) });
  if (!result.ok) { printDiagnostics(context, result.diagnostics); return 1; }
  const r = result.value;
  context.stdout.write(`published ${r.target} (role ${r.role} v${r.roleVersion}, snapshot v${r.snapshotVersion}, timestamp v${r.timestampVersion})\n`);
  return 0;
}

/** The newest published bundle of a pack older than `version`, found among the repository's targets. */
function previousPublished(repoDir: string, name: string, version: string): Buffer | undefined {
  const dir = join(repoPaths(repoDir).targets, name);
  if (!existsSync(dir)) return undefined;
  let best: { version: string; bytes: Buffer } | undefined;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.r3pack'))) {
    const bytes = readFileSync(join(dir, file));
    const pack = decodeBundle(bytes);
    if (!pack.ok) continue;
    const v = pack.value.manifest.version;
    if (compareVersions(v, version) < 0 && (!best || compareVersions(v, best.version) > 0)) best = { version: v, bytes };
  }
  return best?.bytes;
}

export function runTimestamp(options: { repo: string; keys?: string[] }, context: CommandContext): number {
  const result = refreshTimestamp(pathIn(context, options.repo), { now: context.now(), keyDirs: (options.keys ?? []).map((k) => pathIn(context, k)) });
  if (!result.ok) { printDiagnostics(context, result.diagnostics); return 1; }
  context.stdout.write(`timestamp v${result.value.timestampVersion}\n`);
  return 0;
}

export function runRotate(options: { repo: string; role: string; keys?: string; threshold?: string; keyDir?: string[] }, context: CommandContext): number {
  if (!['root', 'targets', 'snapshot', 'timestamp'].includes(options.role)) { context.stderr.write(`--role: expected root, targets, snapshot or timestamp, got "${options.role}"\n`); return 2; }
  const result = rotateKeys(pathIn(context, options.repo), {
    now: context.now(), role: options.role as RoleName,
    ...(options.keys ? { keys: positiveInt(options.keys, '--keys') } : {}),
    ...(options.threshold ? { threshold: positiveInt(options.threshold, '--threshold') } : {}),
    keyDirs: (options.keyDir ?? []).map((k) => pathIn(context, k)),
  });
  if (!result.ok) { printDiagnostics(context, result.diagnostics); return 1; }
  context.stdout.write(`root v${result.value.rootVersion}: ${options.role} keys now ${result.value.keyIds.map((k) => k.slice(0, 16)).join(', ')}\n`);
  return 0;
}

export function runKeygen(options: { out: string }, context: CommandContext): number {
  const key = generateSigningKey();
  const file = saveSigningKey(pathIn(context, options.out), key);
  context.stdout.write(`${JSON.stringify(key.publicJson)}\n`);
  context.stderr.write(`private key: ${file}\n`);
  return 0;
}

export function runDelegate(options: { repo: string; name: string; paths: string[]; key: string[]; threshold: string }, context: CommandContext): number {
  const publicKeys: PublicKeyJson[] = options.key.map((k) => {
    const path = pathIn(context, k);
    return k.endsWith('.pem') ? loadSigningKeyFile(path).publicJson : JSON.parse(readFileSync(path, 'utf8')) as PublicKeyJson;
  });
  const result = delegate(pathIn(context, options.repo), { now: context.now(), name: options.name, paths: options.paths, publicKeys, threshold: positiveInt(options.threshold, '--threshold') });
  if (!result.ok) { printDiagnostics(context, result.diagnostics); return 1; }
  context.stdout.write(`delegated ${JSON.stringify(options.paths)} to "${options.name}" (targets v${result.value.targetsVersion})\n`);
  return 0;
}
