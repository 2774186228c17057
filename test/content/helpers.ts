// Shared fixtures for content tests: temporary directories, tiny packs, and a loopback HTTP server
// that serves a repository's public files and lets a test tamper with any response.
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';

export function tempDir(prefix = 'ring3-content-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export const simpleRule = (id: string, needle: string) => `title: Test rule ${id}
id: ${id}
status: test
author: ring3 tests
logsource:
  product: linux
  category: process_creation
detection:
  selection:
    CommandLine|contains: '${needle}'
  condition: selection
level: high
`;

export const simpleTests = (id: string, needle: string) => `rule: ${id}
match:
  - { Image: /usr/bin/sh, CommandLine: 'sh -c ${needle}' }
nomatch:
  - { Image: /usr/bin/ls, CommandLine: 'ls -la' }
`;

export type PackSpec = { name?: string; version: string; engine?: string; rules?: Record<string, string>; tests?: Record<string, string>; extra?: Record<string, string> };

/** Writes a pack directory and returns its path. */
export function writePack(dir: string, spec: PackSpec): string {
  mkdirSync(join(dir, 'rules'), { recursive: true });
  mkdirSync(join(dir, 'tests'), { recursive: true });
  writeFileSync(join(dir, 'pack.yaml'), `name: ${spec.name ?? 'demo'}\nversion: ${spec.version}\npublisher: ring3 tests\nengine: '${spec.engine ?? '>=0.0.0'}'\nnotes: version ${spec.version}\n`);
  const rules = spec.rules ?? { 'demo.yml': simpleRule('00000000-0000-4000-8000-000000000001', 'evil') };
  const tests = spec.tests ?? { 'demo.yml': simpleTests('00000000-0000-4000-8000-000000000001', 'evil') };
  for (const [name, text] of Object.entries(rules)) writeFileSync(join(dir, 'rules', name), text);
  for (const [name, text] of Object.entries(tests)) writeFileSync(join(dir, 'tests', name), text);
  for (const [name, text] of Object.entries(spec.extra ?? {})) writeFileSync(join(dir, name), text);
  return dir;
}

export type Override = (path: string, req: IncomingMessage, res: ServerResponse) => boolean;

export type StaticServer = { url: string; metadataUrl: string; targetsUrl: string; requests: string[]; override: (fn: Override | undefined) => void; close: () => Promise<void> };

/** Serves `<root>/metadata` and `<root>/targets` on 127.0.0.1; an override may answer any request itself. */
export async function serveRepo(publicDir: string): Promise<StaticServer> {
  let override: Override | undefined;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    if (override?.(path, req, res)) return;
    const file = normalize(join(publicDir, path));
    if (!file.startsWith(publicDir) || !existsSync(file)) { res.statusCode = 404; res.end('not found'); return; }
    try {
      res.end(readFileSync(file));
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url, metadataUrl: `${url}/metadata`, targetsUrl: `${url}/targets`, requests,
    override: (fn) => { override = fn; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
