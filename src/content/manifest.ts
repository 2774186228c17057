// The pack manifest (`pack.yaml`): who made the pack, which version it is, which engine versions can
// run it, and the release notes. Parsed into a typed value or diagnostics that say which key and why.
import { parseDocument, isMap } from 'yaml';
import { ContentCodes, contentDiagnostic, fail, ok } from './diagnostics.ts';
import type { ContentDiagnostic, Result } from './diagnostics.ts';
import { parseRange, parseSemVer } from './semver.ts';

export const manifestFile = 'pack.yaml';

/** Where a rule came from when it was imported, so its author and license travel with it (DRL 1.1). */
export type RuleAttribution = { file: string; author: string; license: string; origin?: string };

export type PackManifest = {
  /** Lower-case name, also the TUF target directory: `[a-z0-9][a-z0-9-]*`. */
  name: string;
  /** Semantic version; a host never moves to a lower one. */
  version: string;
  publisher: string;
  /** Semver range of engine versions that may run this pack, e.g. `>=0.1.0 <1.0.0`. */
  engine: string;
  description?: string;
  notes?: string;
  /** Default license of the pack's rules (a rule's own `license:` wins). */
  license?: string;
  attribution: RuleAttribution[];
};

const namePattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
const knownKeys = new Set(['name', 'version', 'publisher', 'engine', 'description', 'notes', 'license', 'attribution']);

export function parseManifest(text: string, file = manifestFile): Result<PackManifest> {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    return fail(contentDiagnostic(ContentCodes.manifestInvalid, `Cannot parse manifest: ${e.message.split('\n')[0]}`, { file, line: e.linePos?.[0]?.line }));
  }
  if (!isMap(doc.contents)) return fail(contentDiagnostic(ContentCodes.manifestInvalid, 'Cannot parse manifest: it is not a mapping', { file }));
  const raw = doc.toJS() as Record<string, unknown>;
  const problems: ContentDiagnostic[] = [];
  const bad = (key: string, why: string) => problems.push(contentDiagnostic(ContentCodes.manifestInvalid, `Cannot parse manifest: field "${key}" ${why}`, { file, line: lineOf(text, key) }));
  for (const key of Object.keys(raw)) if (!knownKeys.has(key)) bad(key, 'is not a manifest field');
  const str = (key: string, required: boolean): string | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) { if (required) bad(key, 'is missing'); return undefined; }
    if (typeof value !== 'string' || value.trim() === '') { bad(key, 'must be a non-empty string'); return undefined; }
    return value;
  };
  const name = str('name', true);
  if (name !== undefined && !namePattern.test(name)) bad('name', `"${name}" must match ${namePattern.source}`);
  const version = str('version', true);
  if (version !== undefined && !parseSemVer(version)) bad('version', `"${version}" is not a semantic version (x.y.z)`);
  const publisher = str('publisher', true);
  const engine = str('engine', true);
  if (engine !== undefined && !parseRange(engine)) bad('engine', `"${engine}" is not a version range (e.g. ">=0.1.0 <1.0.0")`);
  const description = str('description', false);
  const notes = str('notes', false);
  const license = str('license', false);
  const attribution = parseAttribution(raw['attribution'], bad);
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  return ok({
    name: name!, version: version!, publisher: publisher!, engine: engine!, attribution,
    ...(description !== undefined ? { description } : {}),
    ...(notes !== undefined ? { notes } : {}),
    ...(license !== undefined ? { license } : {}),
  });
}

function parseAttribution(value: unknown, bad: (key: string, why: string) => void): RuleAttribution[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) { bad('attribution', 'must be a list'); return []; }
  const out: RuleAttribution[] = [];
  value.forEach((entry: unknown, i) => {
    const e = entry as Record<string, unknown> | null;
    if (!e || typeof e !== 'object' || typeof e['file'] !== 'string' || typeof e['author'] !== 'string' || typeof e['license'] !== 'string') {
      bad(`attribution[${i}]`, 'must have string "file", "author" and "license"');
      return;
    }
    out.push({ file: e['file'], author: e['author'], license: e['license'], ...(typeof e['origin'] === 'string' ? { origin: e['origin'] } : {}) });
  });
  return out;
}

function lineOf(text: string, key: string): number | undefined {
  const index = text.split('\n').findIndex((line) => line.startsWith(`${key}:`));
  return index >= 0 ? index + 1 : undefined;
}

/** The canonical identity of a pack version: `name@version`. */
export function packId(manifest: Pick<PackManifest, 'name' | 'version'>): string {
  return `${manifest.name}@${manifest.version}`;
}
