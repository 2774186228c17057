// The host's proof: the gate in `host` mode (compile, the pack's own tests, engine range, adversarial
// events) in a worker bounded in memory and time, against the engine this agent runs.
import { ContentCodes, contentDiagnostic, fail, ok } from '../diagnostics.ts';
import { runGateInWorker, defaultHostLimits } from '../gate/run-in-worker.ts';
import type { WorkerLimits } from '../gate/run-in-worker.ts';
import type { Prover } from './update.ts';

export type HostProofOptions = { engineVersion: string; limits?: Partial<WorkerLimits>; placeholders?: Record<string, string[]>; stallMs?: number };

export function createWorkerProver(options: HostProofOptions): Prover {
  const limits = { ...defaultHostLimits, ...options.limits };
  return async (bytes) => {
    const report = await runGateInWorker(bytes, {
      mode: 'host', engineVersion: options.engineVersion,
      ...(options.placeholders ? { placeholders: options.placeholders } : {}),
      ...(options.stallMs !== undefined ? { stallMs: options.stallMs } : {}),
    }, limits);
    if (!report.ok) {
      const problems = report.checks.filter((c) => !c.ok).flatMap((c) => (c.diagnostics.length > 0 ? c.diagnostics : [contentDiagnostic(ContentCodes.proofFailed, `${c.name}: ${c.summary}`)]));
      return fail(...problems.slice(0, 20));
    }
    return ok({ rules: report.figures.rules ?? 0, tests: report.figures.tests ?? 0, heapUsedMb: report.figures.heapUsedMb ?? 0, elapsedMs: report.figures.elapsedMs ?? 0 });
  };
}
