// A repository with demo@1.0.0 installed in a host store and demo@1.1.0 published but not yet fetched.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildPack } from '../../src/content/pack-dir.ts';
import { initRepo, publishBundle } from '../../src/content/tuf/repo.ts';
import type { InitOptions } from '../../src/content/tuf/repo.ts';
import { openStore } from '../../src/content/store/store.ts';
import type { ContentStore } from '../../src/content/store/store.ts';
import { runUpdate } from '../../src/content/store/update.ts';
import type { UpdateOptions } from '../../src/content/store/update.ts';
import { formatContentDiagnostic } from '../../src/content/diagnostics.ts';
import { tempDir, writePack, removeDir, serveRepo } from './helpers.ts';
import type { StaticServer } from './helpers.ts';

export function bundle(version: string, name = 'demo', engine?: string): Buffer {
  const built = buildPack(writePack(tempDir(), { name, version, ...(engine ? { engine } : {}) }));
  assert.ok(built.ok);
  return built.value.bytes;
}

export type Scenario = {
  repoDir: string;
  storeDir: string;
  server: StaticServer;
  store: () => ContentStore;
  update: (extra?: Partial<UpdateOptions>) => ReturnType<typeof runUpdate>;
  publish: (version: string, now?: Date, engine?: string) => void;
  close: () => Promise<void>;
};

export async function scenario(init: Partial<InitOptions> = {}): Promise<Scenario> {
  const repoDir = tempDir('ring3-repo-');
  const storeDir = tempDir('ring3-store-');
  assert.ok(initRepo(repoDir, { now: new Date(), ...init }).ok);
  const server = await serveRepo(join(repoDir, 'public'));
  const store = () => { const s = openStore(storeDir); assert.ok(s.ok); return s.value; };
  mkdirSync(join(storeDir, 'tuf'), { recursive: true });
  copyFileSync(join(repoDir, 'public', 'metadata', '1.root.json'), join(storeDir, 'tuf', 'root.json'));
  const publish = (version: string, now = new Date(), engine?: string) => {
    const result = publishBundle(repoDir, bundle(version, 'demo', engine), { now });
    assert.ok(result.ok, result.ok ? '' : result.diagnostics.map(formatContentDiagnostic).join());
  };
  const update = (extra: Partial<UpdateOptions> = {}) => runUpdate({
    store: store(), repository: { metadataBaseUrl: server.metadataUrl, targetBaseUrl: server.targetsUrl, fetchTimeoutMs: 5000 },
    packName: 'demo', engineVersion: '0.1.0', prove: async () => ({ ok: true, value: { rules: 1, tests: 2, heapUsedMb: 1, elapsedMs: 1 } }),
    now: () => new Date(), ...extra,
  });
  publish('1.0.0');
  const first = await update();
  assert.equal(first.kind, 'updated', JSON.stringify(first));
  publish('1.1.0');
  return { repoDir, storeDir, server, store, update, publish, close: async () => { await server.close(); removeDir(repoDir); removeDir(storeDir); } };
}
