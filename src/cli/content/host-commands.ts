// Host-side commands over the on-host content store, the same library calls the agent makes:
// `content store init | status | guard` and `content update` (one poll: fetch, verify, prove, swap).
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, runUpdate, createWorkerProver, currentEngineVersion, guardAgentStart, defaultCrashLoopPolicy, formatContentDiagnostic } from '../../content/index.ts';
import type { ContentStore } from '../../content/index.ts';
import type { CommandContext } from '../context.ts';
import { pathIn, positiveInt, printDiagnostics } from './output.ts';

function open(dir: string, context: CommandContext): ContentStore | undefined {
  const store = openStore(pathIn(context, dir));
  if (!store.ok) { printDiagnostics(context, store.diagnostics); return undefined; }
  return store.value;
}

export function runStoreInit(options: { store: string; root: string; seed?: string }, context: CommandContext): number {
  const store = open(options.store, context);
  if (!store) return 1;
  copyFileSync(pathIn(context, options.root), join(store.tufDir, 'root.json'));
  if (options.seed) {
    const seeded = store.seed(readFileSync(pathIn(context, options.seed)), context.now());
    if (!seeded.ok) { printDiagnostics(context, seeded.diagnostics); return 1; }
    context.stdout.write(`seeded ${seeded.value.id}\n`);
  }
  context.stdout.write(`store ready at ${store.dir}\n`);
  return 0;
}

export function runStoreStatus(options: { store: string; json?: boolean }, context: CommandContext): number {
  const store = open(options.store, context);
  if (!store) return 1;
  const status = store.status();
  if (options.json) { context.stdout.write(`${JSON.stringify({ ...status, unreported: store.takeUnreported() })}\n`); return 0; }
  context.stdout.write(`active:          ${status.active ?? '-'}${status.onProbation ? ' (on probation)' : ''}\nlast-known-good: ${status.lastKnownGood ?? '-'}\nprevious:        ${status.previous.join(', ') || '-'}\n`);
  for (const [id, bad] of Object.entries(status.bad)) context.stdout.write(`bad:             ${id}: ${bad.reason}\n`);
  if (status.lastRollback) context.stdout.write(`last rollback:   ${JSON.stringify(status.lastRollback)}\n`);
  return 0;
}

export type UpdateCliOptions = { store: string; repo: string; pack: string; engineVersion?: string; proofTimeout: string; proofMemory: string };

export async function runStoreUpdate(options: UpdateCliOptions, context: CommandContext): Promise<number> {
  const store = open(options.store, context);
  if (!store) return 1;
  const base = options.repo.replace(/\/+$/, '');
  const engineVersion = options.engineVersion ?? currentEngineVersion();
  const outcome = await runUpdate({
    store, packName: options.pack, engineVersion, now: context.now,
    repository: { metadataBaseUrl: `${base}/metadata`, targetBaseUrl: `${base}/targets` },
    prove: createWorkerProver({ engineVersion, limits: { timeoutMs: positiveInt(options.proofTimeout, '--proof-timeout'), maxOldGenerationSizeMb: positiveInt(options.proofMemory, '--proof-memory') } }),
  });
  switch (outcome.kind) {
    case 'up-to-date': context.stdout.write(`up to date: ${options.pack}@${outcome.version}\n`); return 0;
    case 'updated': context.stdout.write(`updated ${outcome.from ?? '(nothing)'} -> ${outcome.to} (proof: ${outcome.proof.rules} rules, ${outcome.proof.tests} tests, ${outcome.proof.heapUsedMb} MB, ${outcome.proof.elapsedMs} ms); on probation\n`); return 0;
    case 'skipped-bad': context.stdout.write(`skipped ${outcome.version}: marked bad on this host (${outcome.reason})\n`); return 0;
    case 'refused':
      context.stderr.write(`refused${outcome.version ? ` ${outcome.version}` : ''} at ${outcome.step}; still running ${store.status().active ?? 'nothing'}\n`);
      for (const d of outcome.diagnostics) context.stderr.write(`  ${formatContentDiagnostic(d)}\n`);
      return 1;
  }
}

export function runStoreGuard(options: { store: string; maxStarts: string; windowMinutes: string; probationMinutes: string }, context: CommandContext): number {
  const store = open(options.store, context);
  if (!store) return 1;
  const decision = guardAgentStart(store, context.now(), {
    ...defaultCrashLoopPolicy,
    maxStarts: positiveInt(options.maxStarts, '--max-starts'),
    windowMs: Number(options.windowMinutes) * 60_000,
    probationMs: Number(options.probationMinutes) * 60_000,
  });
  context.stdout.write(`${JSON.stringify(decision)}\n`);
  return decision.kind === 'no-fallback' ? 1 : 0;
}
