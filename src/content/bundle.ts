// A pack bundle: one canonical JSON document holding every file of a pack, sorted by path, with no
// timestamps, owners or modes, so that the same pack directory always gives the same bytes (and the
// same TUF hash). Opening a bundle checks its size, shape and paths before anything reads a rule.
import { createHash } from 'node:crypto';
import { ContentCodes, contentDiagnostic, fail, ok } from './diagnostics.ts';
import type { ContentDiagnostic, Result } from './diagnostics.ts';
import { manifestFile, parseManifest } from './manifest.ts';
import type { PackManifest } from './manifest.ts';

export const bundleFormat = 'ring3-pack/1';
export const bundleExtension = '.r3pack';
/** Larger bundles are refused before parsing: content is a few MB at most. */
export const maxBundleBytes = 32 * 1024 * 1024;
export const maxBundleFiles = 20_000;

export type PackFile = { path: string; text: string };

export type Pack = {
  manifest: PackManifest;
  /** Every file, sorted by path; `pack.yaml` included. */
  files: PackFile[];
  /** sha256 of the bundle bytes, hex. */
  digest: string;
};

/** Which paths a pack may contain: its manifest, rules and tests in YAML, and documentation. */
export function isPackPath(path: string): boolean {
  if (path === manifestFile) return true;
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(path) || path.split('/').some((p) => p === '..' || p === '.' || p.startsWith('.'))) return false;
  if (/^(rules|tests)\/.+\.ya?ml$/.test(path)) return true;
  return /^[^/]+\.(md|txt)$/.test(path) || /^LICENSE[^/]*$/.test(path);
}

export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Serialises files into bundle bytes; keys are written in a fixed order and files sorted by path. */
export function encodeBundle(files: readonly PackFile[]): Buffer {
  const sorted = [...files].sort((a, b) => comparePaths(a.path, b.path));
  const body = { format: bundleFormat, files: sorted.map((f) => ({ path: f.path, text: f.text })) };
  return Buffer.from(`${JSON.stringify(body)}\n`, 'utf8');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Parses and checks bundle bytes: size, JSON shape, format, paths (sorted, unique, allowed), manifest. */
export function decodeBundle(bytes: Uint8Array, where = 'bundle'): Result<Pack> {
  const bad = (message: string) => fail<Pack>(contentDiagnostic(ContentCodes.bundleInvalid, `Cannot open bundle: ${message}`, { file: where }));
  if (bytes.byteLength > maxBundleBytes) {
    return fail(contentDiagnostic(ContentCodes.bundleTooLarge, `Cannot open bundle: ${bytes.byteLength} bytes is more than the ${maxBundleBytes} allowed`, { file: where }));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    return bad(`it is not JSON (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return bad('it is not a JSON object');
  const body = parsed as Record<string, unknown>;
  if (body['format'] !== bundleFormat) return bad(`format is ${JSON.stringify(body['format'])}, expected "${bundleFormat}"`);
  const rawFiles = body['files'];
  if (!Array.isArray(rawFiles)) return bad('"files" is not a list');
  if (rawFiles.length > maxBundleFiles) return bad(`${rawFiles.length} files is more than the ${maxBundleFiles} allowed`);
  const files: PackFile[] = [];
  for (const [i, raw] of rawFiles.entries()) {
    const f = raw as Record<string, unknown> | null;
    if (!f || typeof f !== 'object' || typeof f['path'] !== 'string' || typeof f['text'] !== 'string') return bad(`files[${i}] needs string "path" and "text"`);
    if (!isPackPath(f['path'])) return bad(`files[${i}] has path "${f['path']}", which a pack may not contain`);
    const previous = files.at(-1);
    if (previous && comparePaths(previous.path, f['path']) >= 0) return bad(`files[${i}] "${f['path']}" is out of order or repeated; bundles are sorted by path`);
    files.push({ path: f['path'], text: f['text'] });
  }
  const manifestText = files.find((f) => f.path === manifestFile);
  if (!manifestText) return fail(contentDiagnostic(ContentCodes.manifestMissing, `Cannot open bundle: it has no ${manifestFile}`, { file: where }));
  const manifest = parseManifest(manifestText.text, `${where}:${manifestFile}`);
  if (!manifest.ok) return manifest;
  return ok({ manifest: manifest.value, files, digest: sha256Hex(bytes) });
}

/** Rules and test files of a pack, for the engine and the gate. */
export function ruleFiles(pack: Pick<Pack, 'files'>): PackFile[] {
  return pack.files.filter((f) => f.path.startsWith('rules/'));
}

export function testFiles(pack: Pick<Pack, 'files'>): PackFile[] {
  return pack.files.filter((f) => f.path.startsWith('tests/'));
}

export type { ContentDiagnostic };
