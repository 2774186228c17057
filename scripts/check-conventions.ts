// ring3's own conventions, checked on every `npm test` (see ../shared/STYLE.md and DESIGN.md):
// imports flow one way between layers, src/sigma stays pure, every src folder has a README,
// no default exports, and files stay small enough to read.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

/** Which top-level src folders each folder may import from (besides itself). */
const allowedImports: Record<string, readonly string[]> = {
  sigma: [],
  events: [],
  sensors: ['events'],
  content: ['sigma', 'events'],
  agent: ['content', 'sensors', 'sigma', 'events'],
  server: ['content', 'sigma', 'events'],
  console: ['server'],
  cli: ['agent', 'server', 'content', 'sensors', 'sigma', 'events'],
};
/** Packages and built-ins src/sigma may use: it is a pure library, no I/O and no process state. */
const sigmaAllowedModules = new Set(['yaml', 're2js']);
const maxLines = 400;

const problems: string[] = [];
const files = listFiles(src).filter((file) => file.endsWith('.ts'));

for (const folder of readdirSync(src)) {
  if (statSync(join(src, folder)).isDirectory() && !existsSync(join(src, folder, 'README.md'))) {
    problems.push(`src/${folder}: has no README.md (what it does, what it may import, how data flows)`);
  }
}

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const where = relative(root, file);
  const layer = relative(src, file).split(sep)[0];
  const lines = text.split('\n').length;
  if (lines > maxLines) problems.push(`${where}: ${lines} lines; split it by concept (limit ${maxLines})`);
  if (/^export default\b/m.test(text)) problems.push(`${where}: default export; use a named export`);
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g)) {
    const specifier = match[1]!;
    if (specifier.startsWith('.')) {
      const target = relative(src, resolve(dirname(file), specifier)).split(sep)[0]!;
      if (target !== layer && !(allowedImports[layer!] ?? []).includes(target)) {
        problems.push(`${where}: imports ${specifier}; src/${layer} may not import from src/${target}`);
      }
    } else if (layer === 'sigma' && !sigmaAllowedModules.has(specifier)) {
      problems.push(`${where}: imports ${specifier}; src/sigma is pure and may use only ${[...sigmaAllowedModules].join(', ')}`);
    }
  }
  if (layer === 'sigma' && /\bprocess\.|\bDate\.now\(|\bnew Date\(\)|\bMath\.random\(/.test(text)) {
    problems.push(`${where}: reads process state, the clock or randomness; src/sigma takes them as parameters`);
  }
}

if (problems.length > 0) {
  process.stderr.write(`Convention check failed:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`conventions: ${files.length} files checked, ok\n`);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}
