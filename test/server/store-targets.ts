// The stores every storage case runs against: SQLite always (in memory, where heartbeats and alerts
// are written on the main connection, and in a file, where the writer thread writes them), PostgreSQL
// when RING3_TEST_PG_URL names one (.ci/run starts it). Each PostgreSQL target gets its own schema,
// so test files can run at once.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../src/server/storage/open-store.ts';
import type { Store } from '../../src/server/storage/store.ts';

export type StoreTarget = {
  name: 'sqlite' | 'sqlite-file' | 'postgres';
  /** Why this target is skipped here, or false when it runs. */
  skip: string | false;
  open(): Promise<Store>;
};

const pgUrl = process.env.RING3_TEST_PG_URL;

export const storeTargets: readonly StoreTarget[] = [
  { name: 'sqlite', skip: false, open: () => opened(':memory:') },
  {
    name: 'sqlite-file',
    skip: false,
    async open() {
      const dir = mkdtempSync(join(os.tmpdir(), 'ring3-store-'));
      const store = await opened(join(dir, 'server.db'));
      const close = store.close;
      return { ...store, close: async () => {
        await close();
        rmSync(dir, { recursive: true, force: true });
      } };
    },
  },
  {
    name: 'postgres',
    skip: pgUrl === undefined || pgUrl === '' ? 'RING3_TEST_PG_URL is not set (.ci/run starts a local PostgreSQL and sets it)' : false,
    async open() {
      const schema = `r3t_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const url = new URL(pgUrl!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const store = await opened(url.toString());
      const close = store.close;
      return { ...store, close: async () => {
        await close();
        const dropper = new pg.Client({ connectionString: pgUrl });
        await dropper.connect();
        await dropper.query(`DROP SCHEMA ${schema} CASCADE`);
        await dropper.end();
      } };
    },
  },
];

async function opened(locator: string): Promise<Store> {
  const result = await openStore(locator);
  if (result.kind !== 'ok') throw new Error(result.message);
  return result.store;
}
