// `content import`: a directory of Sigma rules (e.g. SigmaHQ's) → a pack directory. Rule texts are kept
// as written; each rule's author and license (DRL 1.1 unless it says otherwise) go into the manifest's
// attribution list, and a NOTICE.md names them, as the Detection Rule License asks. Rules the engine
// rejects are left out, with a warning saying why.
import { mkdirSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { stringify } from 'yaml';
import { loadRuleSet } from '../sigma/index.ts';
import { ContentCodes, contentDiagnostic, fail, ok } from './diagnostics.ts';
import type { ContentDiagnostic, Result } from './diagnostics.ts';
import type { RuleAttribution } from './manifest.ts';
import { parseSemVer } from './semver.ts';

export type ImportOptions = { name: string; version: string; publisher: string; engine: string; license: string; readFile: (path: string) => string };

export function importSigmaDir(source: string, out: string, options: ImportOptions): Result<{ imported: number; skipped: number }> {
  if (!existsSync(source) || !statSync(source).isDirectory()) return fail(contentDiagnostic(ContentCodes.importSkipped, 'Cannot import: not a directory', { file: source }));
  if (existsSync(join(out, 'pack.yaml'))) return fail(contentDiagnostic(ContentCodes.importSkipped, 'Cannot import: the output directory already holds a pack', { file: out }));
  if (!parseSemVer(options.version)) return fail(contentDiagnostic(ContentCodes.manifestInvalid, `Cannot import: version "${options.version}" is not x.y.z`));
  const files = listYaml(source);
  const sources = files.map((path) => ({ name: relative(source, path).split(sep).join('/'), text: options.readFile(path) }));
  const load = loadRuleSet(sources);
  const rejectedFiles = new Map<string, string>();
  for (const status of load.rules) if (!status.ok && !rejectedFiles.has(status.source)) rejectedFiles.set(status.source, status.reason ?? 'rejected');
  const warnings: ContentDiagnostic[] = [];
  const attribution: RuleAttribution[] = [];
  let imported = 0;
  for (const { name, text } of sources) {
    const rejected = rejectedFiles.get(name);
    const target = `rules/${name.replace(/[^A-Za-z0-9._/-]/g, '_')}`;
    if (rejected) { warnings.push(contentDiagnostic(ContentCodes.importSkipped, `Skipped: the engine rejects it: ${rejected}`, { file: name })); continue; }
    const meta = firstDocument(text);
    mkdirSync(dirname(join(out, target)), { recursive: true });
    writeFileSync(join(out, target), text);
    attribution.push({ file: target, author: meta.author ?? 'unknown', license: meta.license ?? options.license, origin: name });
    imported++;
  }
  const manifest = {
    name: options.name, version: options.version, publisher: options.publisher, engine: options.engine,
    description: `Sigma rules imported from ${relative(process.cwd(), source) || source}`,
    notes: 'Imported rules carry no tests yet; add tests/ before the release gate passes.',
    license: options.license, attribution,
  };
  mkdirSync(join(out, 'tests'), { recursive: true });
  writeFileSync(join(out, 'pack.yaml'), stringify(manifest, { lineWidth: 0 }));
  const notice = attribution.map((a) => `- ${a.file}: by ${a.author}, license ${a.license}${a.origin ? `, from ${a.origin}` : ''}`);
  writeFileSync(join(out, 'NOTICE.md'), `# Notice\nThese rules were written by the authors named below and are used under the license named beside each\n(DRL-1.1: Detection Rule License 1.1, https://github.com/SigmaHQ/Detection-Rule-License).\n\n${notice.join('\n')}\n`);
  return ok({ imported, skipped: sources.length - imported }, warnings);
}

function listYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.name.startsWith('.')) return [];
    if (entry.isDirectory()) return listYaml(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

function firstDocument(text: string): { author?: string; license?: string } {
  try {
    const doc = parseAllDocuments(text)[0];
    const value = doc && 'toJS' in doc ? (doc.toJS() as Record<string, unknown> | null) : null;
    return {
      ...(typeof value?.['author'] === 'string' ? { author: value['author'] } : {}),
      ...(typeof value?.['license'] === 'string' ? { license: value['license'] } : {}),
    };
  } catch {
    return {};
  }
}
