#!/usr/bin/env node
// The `ring3` command. ring3 is TypeScript run directly by Node >= 24 (type stripping).
// If the node that started us is older, re-run under the Node 24 pinned in node_modules,
// so `npx ring3` works on any machine where `npm install` ran.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);

// `ring3 agent run` is a long-running daemon with an RSS budget (150 MB, docs/sensors.md "Memory"): it
// re-executes itself, same pid, with a small young generation (V8 otherwise grows it to 32 MB and more
// under load) and Node's compile cache (stripped TypeScript and bytecode on disk: from the second
// start on no thread loads the TypeScript parser). The systemd unit runs this file too.
const agentNodeFlags = ['--max-semi-space-size=1'];

function agentRelaunch(args) {
  const [command, sub] = args.filter((arg) => !arg.startsWith('-'));
  if (command !== 'agent' || sub !== 'run' || typeof process.execve !== 'function') return undefined;
  const flags = agentNodeFlags.filter((flag) => !process.execArgv.some((given) => given.startsWith(flag.split('=')[0])));
  const cache = process.env.NODE_COMPILE_CACHE === undefined && process.env.NODE_DISABLE_COMPILE_CACHE === undefined;
  if (flags.length === 0 && !cache) return undefined;
  // Root's cache is root's own (a cache is code); NODE_DISABLE_COMPILE_CACHE=1 turns it off.
  const env = !cache ? { ...process.env } : { ...process.env, NODE_COMPILE_CACHE: process.getuid?.() === 0 ? '/var/cache/ring3/node-compile-cache' : join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ring3', 'node-compile-cache') };
  // glibc gives each thread that mallocs an arena of its own; two are enough for the agent's few
  // threads and keep fragmentation out of the RSS (8–12 MB less, measured with bench:sensors).
  env.MALLOC_ARENA_MAX ??= '2';
  return () => process.execve(process.execPath, [process.execPath, ...process.execArgv, ...flags, fileURLToPath(import.meta.url), ...args], env);
}

if (major >= 24) {
  agentRelaunch(process.argv.slice(2))?.();
  const { main } = await import(entry);
  process.exitCode = await main(process.argv.slice(2));
} else {
  const pinned = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(pinned)) {
    process.stderr.write(`ring3 needs Node.js 24 or newer (this is ${process.version}); run "npm install" first\n`);
    process.exit(1);
  }
  const child = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (child.signal) process.kill(process.pid, child.signal);
  process.exit(child.status ?? 1);
}
