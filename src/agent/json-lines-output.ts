// JSON Lines to standard output or a file (alerts, and `--events-out`). A slow reader must not grow
// the agent's memory: beyond a bound, lines are dropped and counted (alerts are in the spool anyway).
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';

export type JsonLinesOutput = { write(value: unknown): void; drops(): number; written(): number; close(): Promise<void> };

export type OutputTarget = { kind: 'stream'; stream: { write(text: string): unknown; writableLength?: number } } | { kind: 'file'; path: string };

export function openJsonLinesOutput(target: OutputTarget, maxBufferedBytes = 16 * 1024 * 1024): JsonLinesOutput {
  let stream: { write(text: string): unknown; writableLength?: number };
  let file: Writable | undefined;
  let failed = false;
  if (target.kind === 'file') {
    mkdirSync(dirname(target.path), { recursive: true });
    file = createWriteStream(target.path, { flags: 'a' });
    file.on('error', () => { failed = true; });
    stream = file;
  } else {
    stream = target.stream;
  }
  let drops = 0;
  let written = 0;
  return {
    write(value) {
      if (failed || (stream.writableLength ?? 0) > maxBufferedBytes) { drops += 1; return; }
      try {
        stream.write(`${JSON.stringify(value)}\n`);
        written += 1;
      } catch {
        drops += 1;
      }
    },
    drops: () => drops,
    written: () => written,
    close: () => new Promise<void>((resolve) => {
      if (!file) { resolve(); return; }
      file.end(() => resolve());
      file.once('error', () => resolve());
    }),
  };
}
