// Runs the gate in a worker thread with a memory ceiling and a deadline. A pack that runs the worker out
// of memory, hangs it, or crashes it fails with the reason and the last step it reached; the caller's
// process and its running content are untouched.
import { Worker } from 'node:worker_threads';
import { ContentCodes, contentDiagnostic } from '../diagnostics.ts';
import type { GateReport, GateSettings } from './gate.ts';

export type WorkerLimits = { timeoutMs: number; maxOldGenerationSizeMb: number };
export const defaultReleaseLimits: WorkerLimits = { timeoutMs: 5 * 60_000, maxOldGenerationSizeMb: 1024 };
export const defaultHostLimits: WorkerLimits = { timeoutMs: 60_000, maxOldGenerationSizeMb: 256 };

export function runGateInWorker(bytes: Uint8Array, settings: GateSettings, limits: WorkerLimits): Promise<GateReport> {
  return new Promise((resolve) => {
    let last = 'start';
    let settled = false;
    const worker = new Worker(new URL('./gate-worker.ts', import.meta.url), {
      workerData: { bytes, settings },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb, stackSizeMb: 4 },
      stdout: false, stderr: false,
    });
    const failed = (message: string) => settle({
      mode: settings.mode, ok: false, warnings: [], figures: {},
      checks: [{ name: 'limits', ok: false, summary: message, diagnostics: [contentDiagnostic(ContentCodes.proofFailed, message)] }],
    });
    const settle = (report: GateReport) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(report);
    };
    const timer = setTimeout(() => failed(`The check did not finish within ${limits.timeoutMs} ms (last step: ${last}); a rule stalls the engine or the pack is too large`), limits.timeoutMs);
    worker.on('message', (message: { kind: 'progress'; what: string } | { kind: 'report'; report: GateReport }) => {
      if (message.kind === 'progress') last = message.what;
      else settle(message.report);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const why = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `ran out of its ${limits.maxOldGenerationSizeMb} MB memory limit` : `crashed: ${error.message}`;
      failed(`The check ${why} (last step: ${last})`);
    });
    worker.on('exit', (code) => failed(`The check's worker exited with code ${code} before reporting (last step: ${last})`));
  });
}
