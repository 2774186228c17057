// Reads Sigma rule files from disk: files as given, directories recursively (*.yml, *.yaml), in a
// stable order. Unreadable paths are reported, never thrown.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { RuleSourceText } from '../sigma/index.ts';

export type RuleFilesResult = { sources: RuleSourceText[]; errors: { path: string; reason: string }[] };

/** Files are named as the caller wrote the path (relative paths stay relative to `cwd`). */
export async function readRuleFiles(paths: readonly string[], options: { cwd?: string } = {}): Promise<RuleFilesResult> {
  const sources: RuleSourceText[] = [];
  const errors: RuleFilesResult['errors'] = [];
  for (const path of paths) {
    try {
      const absolute = resolve(options.cwd ?? '.', path);
      for (const file of await listRuleFiles(absolute)) {
        sources.push({ name: file === absolute ? path : join(path, relative(absolute, file)), text: await readFile(file, 'utf8') });
      }
    } catch (error) {
      errors.push({ path, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { sources, errors };
}

async function listRuleFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
