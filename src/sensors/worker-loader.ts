// Starts sensor workers without Node's TypeScript stripper. Node strips types with a WebAssembly
// parser that it loads once per thread: about 13 MB of RSS in every worker. When the main thread has
// it loaded already, it strips the worker's module graph here, in memory, and the worker serves those
// sources through a module load hook; nothing generated is written to disk. Files the graph scan
// misses still load (Node strips them in the worker), only at that memory cost.
// With Node's compile cache on (NODE_COMPILE_CACHE, set by the systemd unit), stripped sources are
// cached on disk: from the second start on, no thread loads the parser. Workers then start from their
// .ts files, read the same cache, and fill it on the first start. Without the cache and without the
// parser in the main thread (a future Node), loading the parser here would cost more than it saves.
import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';

export type WorkerBoot = { entry: string; sources: Record<string, string> };

/** How to start a worker: the bootstrap with pre-stripped sources, or its own file. */
export type WorkerLaunch = { code: string; eval: true; boot: WorkerBoot } | { code: URL; eval: false };

export function workerLaunch(entry: URL): WorkerLaunch {
  const direct = nodeModule.getCompileCacheDir() !== undefined || !stripperLoaded();
  return !direct ? { code: workerBootstrap, eval: true, boot: workerBoot(entry) } : { code: entry, eval: false };
}

function stripperLoaded(): boolean {
  // Undocumented but long-standing: the internal modules this thread has loaded.
  const loaded = (process as { moduleLoadList?: readonly string[] }).moduleLoadList;
  return loaded === undefined || loaded.some((name) => name.includes('deps/amaro'));
}

/** CommonJS run by `new Worker(code, { eval: true })`: install the hook, then import the entry. */
export const workerBootstrap = `
const { registerHooks } = require('node:module');
const { workerData } = require('node:worker_threads');
const sources = workerData.boot.sources;
registerHooks({
  load(url, context, nextLoad) {
    const source = sources[url];
    if (source === undefined) return nextLoad(url, context);
    delete sources[url];
    return { format: 'module', source, shortCircuit: true };
  },
});
import(workerData.boot.entry).catch((error) => { process.nextTick(() => { throw error; }); });
`;

const stripped = new Map<string, string>();
// Relative static imports and re-exports left after stripping (type-only ones are gone by then).
const importPattern = /(?:^|[\n;])\s*(?:import|export)\s[^;'"]*?from\s*['"](\.{1,2}\/[^'"]+\.ts)['"]|(?:^|[\n;])\s*import\s*['"](\.{1,2}\/[^'"]+\.ts)['"]/g;

/** The entry's module graph within this package, each file stripped of its types (cached). */
export function workerBoot(entry: URL): WorkerBoot {
  const sources: Record<string, string> = {};
  const pending = [entry.href];
  while (pending.length > 0) {
    const href = pending.pop()!;
    if (href in sources) continue;
    const source = strip(href);
    if (source === undefined) continue;
    sources[href] = source;
    for (const match of source.matchAll(importPattern)) pending.push(new URL((match[1] ?? match[2])!, href).href);
  }
  return { entry: entry.href, sources };
}

function strip(href: string): string | undefined {
  const cached = stripped.get(href);
  if (cached !== undefined) return cached;
  let text: string;
  try {
    text = readFileSync(fileURLToPath(href), 'utf8');
  } catch {
    return undefined;
  }
  const source = stripTypes(text);
  stripped.set(href, source);
  return source;
}

// stripTypeScriptTypes is flagged experimental and warns once per process on first use; this
// is the same parser Node runs for every .ts file it loads, so the warning would only confuse
// operators reading the agent's standard error.
function stripTypes(text: string): string {
  const emit = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return nodeModule.stripTypeScriptTypes(text, { mode: 'strip' });
  } finally {
    process.emitWarning = emit;
  }
}
