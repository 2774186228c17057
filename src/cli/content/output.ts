// Small helpers shared by the content commands: paths relative to the caller's cwd, diagnostics out.
import { resolve } from 'node:path';
import { formatContentDiagnostic } from '../../content/index.ts';
import type { ContentDiagnostic } from '../../content/index.ts';
import type { CommandContext } from '../context.ts';

export function pathIn(context: CommandContext, path: string): string {
  return resolve(context.cwd, path);
}

export function printDiagnostics(context: CommandContext, diagnostics: readonly ContentDiagnostic[]): void {
  for (const d of diagnostics) context.stderr.write(`${formatContentDiagnostic(d)}\n`);
}

export function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected a positive integer, got "${value}"`);
  return n;
}
