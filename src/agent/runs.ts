// Start and stop records, so the next heartbeat can say the agent restarted and whether the previous
// run ended without stopping cleanly (a crash, a kill -9, a power loss).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

type RunRecord = { starts: number; cleanStops: number; running: boolean; lastStart: string };

export type RunHistory = { restarts: number; crashes: number; starts: number; markStopped(): void };

export function recordStart(file: string, now: Date): RunHistory {
  let previous: RunRecord | undefined;
  try {
    previous = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
  } catch {
    previous = undefined;
  }
  const starts = (previous?.starts ?? 0) + 1;
  const record: RunRecord = { starts, cleanStops: previous?.cleanStops ?? 0, running: true, lastStart: now.toISOString() };
  save(file, record);
  return {
    restarts: previous === undefined ? 0 : 1,
    crashes: previous?.running === true ? 1 : 0,
    starts,
    markStopped() {
      save(file, { ...record, cleanStops: record.cleanStops + 1, running: false });
    },
  };
}

function save(file: string, record: RunRecord): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, `${JSON.stringify(record)}\n`);
    renameSync(`${file}.tmp`, file);
  } catch {
    // Losing the run record only blurs the restart count in the next heartbeat.
  }
}
