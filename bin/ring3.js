#!/usr/bin/env node
// The `ring3` command. ring3 is TypeScript run directly by Node >= 24 (type stripping).
// If the node that started us is older, re-run under the Node 24 pinned in node_modules,
// so `npx ring3` works on any machine where `npm install` ran.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);

if (major >= 24) {
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
