// Worker entry: runs the gate on bundle bytes it is given and posts progress and the report back.
// Running in a worker lets the caller bound memory (resourceLimits) and time (terminate).
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { runGate } from './gate.ts';
import type { GateSettings } from './gate.ts';

const { bytes, settings } = workerData as { bytes: Uint8Array; settings: GateSettings };
const report = runGate(bytes, settings, {
  now: () => performance.now(),
  cpuNow: () => { const { user, system } = process.threadCpuUsage(); return (user + system) / 1000; },
  onProgress: (what) => parentPort?.postMessage({ kind: 'progress', what }),
  heapUsedMb: () => process.memoryUsage().heapUsed / 1_048_576,
});
parentPort?.postMessage({ kind: 'report', report });
