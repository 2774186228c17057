// Shared by the sensor tests: collecting events, waiting for one, and private tmpfs mounts so that
// fanotify marks never cover a filesystem other engineers use.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SensorEvent } from '../../src/events/index.ts';

export const rootSkip = process.getuid?.() === 0 ? false : 'needs root for the kernel interface (CI runs as root)';

export type Collector = { events: SensorEvent[]; sink(event: SensorEvent): void; waitFor(match: (e: SensorEvent) => boolean, timeoutMs?: number): Promise<SensorEvent> };

export function collector(): Collector {
  const events: SensorEvent[] = [];
  const waiters: { match: (e: SensorEvent) => boolean; resolve(e: SensorEvent): void }[] = [];
  return {
    events,
    sink(event) {
      events.push(event);
      for (const w of [...waiters]) {
        if (w.match(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    },
    waitFor(match, timeoutMs = 5000) {
      const found = events.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms (${events.length} events seen)`)), timeoutMs);
        waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
  };
}

/** A private tmpfs; `dispose` unmounts it (lazily, so a leftover fd cannot keep it mounted). */
export function privateTmpfs(prefix: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0755', 'ring3-test', dir]);
  return {
    dir,
    dispose() {
      try {
        execFileSync('umount', ['-l', dir]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export function tmpDir(prefix: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
