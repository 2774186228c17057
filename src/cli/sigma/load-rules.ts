// Shared by the sigma commands: read rule files and an optional placeholder file, compile them.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { readRuleFiles } from '../../content/rule-files.ts';
import { loadRuleSet, type LoadResult } from '../../sigma/index.ts';
import type { CommandContext } from '../context.ts';

export async function loadRulesForCli(paths: string[], placeholdersFile: string | undefined, context: CommandContext): Promise<LoadResult | undefined> {
  const { sources, errors } = await readRuleFiles(paths, { cwd: context.cwd });
  for (const e of errors) context.stderr.write(`${e.path}: cannot read: ${e.reason}\n`);
  let placeholders: Record<string, string[]> | undefined;
  if (placeholdersFile) {
    const read = await readPlaceholders(resolveFrom(context, placeholdersFile));
    if (!read.ok) { context.stderr.write(`${placeholdersFile}: ${read.reason}\n`); return undefined; }
    placeholders = read.value;
  }
  return loadRuleSet(sources, placeholders ? { placeholders } : {});
}

async function readPlaceholders(path: string): Promise<{ ok: true; value: Record<string, string[]> } | { ok: false; reason: string }> {
  let doc: unknown;
  try { doc = parse(await readFile(path, 'utf8')); } catch (e) { return { ok: false, reason: e instanceof Error ? e.message : String(e) }; }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { ok: false, reason: 'must be a mapping of placeholder name to a list of values' };
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(doc)) {
    const list = Array.isArray(values) ? values : [values];
    if (!list.every((v) => ['string', 'number'].includes(typeof v))) return { ok: false, reason: `placeholder "${name}": values must be strings` };
    out[name] = list.map(String);
  }
  return { ok: true, value: out };
}

function resolveFrom(context: CommandContext, path: string): string {
  return resolve(context.cwd, path);
}
