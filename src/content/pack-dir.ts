// Reads a pack directory from disk into the files of a bundle, and builds the bundle. The only I/O of
// the pack format; everything else works on bytes.
import { readdirSync, readFileSync, lstatSync, writeFileSync, renameSync } from 'node:fs';
import { join, relative, sep, dirname, basename } from 'node:path';
import { ContentCodes, contentDiagnostic, fail, ok } from './diagnostics.ts';
import type { ContentDiagnostic, Result } from './diagnostics.ts';
import { decodeBundle, encodeBundle, isPackPath } from './bundle.ts';
import type { Pack, PackFile } from './bundle.ts';
import { manifestFile } from './manifest.ts';

/** Lists a pack directory's files (dot-files skipped), refusing files a pack may not contain. */
export function readPackDir(dir: string): Result<PackFile[]> {
  const problems: ContentDiagnostic[] = [];
  const files: PackFile[] = [];
  const walk = (current: string) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (error) {
      problems.push(contentDiagnostic(ContentCodes.packLayout, `Cannot read pack directory: ${(error as Error).message}`, { file: current }));
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(current, entry.name);
      const path = relative(dir, full).split(sep).join('/');
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) {
        problems.push(contentDiagnostic(ContentCodes.packLayout, 'Cannot add file: symbolic links are not followed in a pack', { file: path }));
      } else if (stat.isDirectory()) {
        walk(full);
      } else if (!isPackPath(path)) {
        problems.push(contentDiagnostic(ContentCodes.packLayout, `Cannot add file: a pack holds ${manifestFile}, rules/**/*.yml, tests/**/*.yml and top-level *.md or LICENSE files`, { file: path }));
      } else {
        const text = readFileSync(full, 'utf8');
        files.push({ path, text });
      }
    }
  };
  walk(dir);
  if (!files.some((f) => f.path === manifestFile) && problems.length === 0) {
    problems.push(contentDiagnostic(ContentCodes.manifestMissing, `Cannot build pack: ${manifestFile} is missing`, { file: dir }));
  }
  return problems.length > 0 ? { ok: false, diagnostics: problems } : ok(files);
}

/** Reads a directory into a checked pack plus its bundle bytes. */
export function buildPack(dir: string): Result<{ pack: Pack; bytes: Buffer }> {
  const files = readPackDir(dir);
  if (!files.ok) return files;
  const bytes = encodeBundle(files.value);
  const pack = decodeBundle(bytes, dir);
  if (!pack.ok) return pack;
  return ok({ pack: pack.value, bytes });
}

/** Opens either a bundle file or a pack directory. */
export function loadPack(path: string): Result<{ pack: Pack; bytes: Buffer }> {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return fail(contentDiagnostic(ContentCodes.packLayout, 'Cannot open pack: no such file or directory', { file: path }));
  }
  if (stat.isDirectory()) return buildPack(path);
  const bytes = readFileSync(path);
  const pack = decodeBundle(bytes, path);
  return pack.ok ? ok({ pack: pack.value, bytes }) : pack;
}

/** Writes a file so that readers see the old bytes or the new ones, never a half-written file. */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, bytes, { flush: true });
  renameSync(tmp, path);
}
