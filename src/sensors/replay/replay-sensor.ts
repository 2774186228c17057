// Replays JSON Lines events (for tests and offline hunting). A malformed line is reported with its
// file and line number and skipped; the rest of the file still replays.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseEvent } from '../../events/index.ts';
import type { EventSink, Sensor, SensorStatus } from '../sensor.ts';
import { createStatusTracker } from '../status-tracker.ts';

export type ReplayDiagnostic = { code: 'replay.json' | 'replay.event' | 'replay.read'; file: string; line?: number; message: string };

export type ReplaySensor = Sensor & {
  /** Resolves when every file has been read (or failed to open). */
  done(): Promise<void>;
  diagnostics(): readonly ReplayDiagnostic[];
};

export type ReplaySensorOptions = {
  name?: string;
  files: string[];
  onDiagnostic?(diagnostic: ReplayDiagnostic): void;
  /** Diagnostics kept for diagnostics(); the count in status().errors is exact. Default 1000. */
  keepDiagnostics?: number;
};

export function formatReplayDiagnostic(d: ReplayDiagnostic): string {
  return `${d.file}${d.line === undefined ? '' : `:${d.line}`}: ${d.code}: ${d.message}`;
}

export function createReplaySensor(options: ReplaySensorOptions): ReplaySensor {
  const tracker = createStatusTracker(options.name ?? 'replay', 'replay', 'json-lines');
  const kept: ReplayDiagnostic[] = [];
  const keep = options.keepDiagnostics ?? 1000;
  let stopped = false;
  let finished: Promise<void> = Promise.resolve();
  const report = (d: ReplayDiagnostic) => {
    tracker.add('errors');
    if (kept.length < keep) kept.push(d);
    options.onDiagnostic?.(d);
  };

  const replayFile = async (file: string, sink: EventSink) => {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let line = 0;
    try {
      for await (const text of lines) {
        line += 1;
        if (stopped) break;
        if (text.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (error) {
          report({ code: 'replay.json', file, line, message: `not valid JSON (${(error as Error).message})` });
          continue;
        }
        const parsed = parseEvent(value);
        if (!parsed.ok) {
          report({ code: 'replay.event', file, line, message: parsed.diagnostic.message });
          continue;
        }
        tracker.add('events');
        sink(parsed.event);
      }
    } catch (error) {
      report({ code: 'replay.read', file, message: `cannot read (${(error as Error).message})` });
    } finally {
      lines.close();
    }
  };

  return {
    name: options.name ?? 'replay',
    kind: 'replay',
    async start(sink) {
      stopped = false;
      tracker.set({ state: 'running', source: 'json-lines', misses: [] });
      finished = (async () => {
        for (const file of options.files) {
          if (stopped) break;
          await replayFile(file, sink);
        }
        tracker.set({ state: 'stopped' });
      })();
      return tracker.snapshot();
    },
    async stop() {
      stopped = true;
      await finished;
      tracker.set({ state: 'stopped' });
    },
    status: (): SensorStatus => tracker.snapshot(),
    done: () => finished,
    diagnostics: () => [...kept],
  };
}
