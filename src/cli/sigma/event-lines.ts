// JSON Lines events, one object per line, with their 0-based line index. A malformed line is reported
// with its line number and skipped; it never ends the stream.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import type { CommandContext } from '../context.ts';

export type EventLine = { index: number; event: Record<string, unknown> };

export const maxLineBytes = 1024 * 1024;

export async function* readEventLines(file: string, context: CommandContext, onError: (lineNumber: number, reason: string) => void): AsyncGenerator<EventLine> {
  const input = file === '-' ? context.stdin : createReadStream(resolve(context.cwd, file));
  const lines = createInterface({ input, crlfDelay: Infinity });
  let index = -1;
  for await (const line of lines) {
    index++;
    if (line.trim() === '') continue;
    if (line.length > maxLineBytes) { onError(index + 1, `line is longer than ${maxLineBytes} bytes`); continue; }
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (error) {
      onError(index + 1, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) { onError(index + 1, 'an event must be a JSON object'); continue; }
    yield { index, event: event as Record<string, unknown> };
  }
}
