// Opens the store named by a `--db` locator and brings its schema up to date:
//   postgres://user:pass@host/db   PostgreSQL (production)
//   sqlite:/path/file.db, a plain path, or :memory:   SQLite through node:sqlite (the embedded default)
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { coreMigrations, migrate, type Migration, type StoreDialect } from './migrations.ts';
import { nodeSqliteDialect } from './sqlite-dialect.ts';
import { openSqlite } from './open-sqlite.ts';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.ts';
import { createKyselyStore } from './kysely-store.ts';
import { postgresActivityWrites } from './postgres-activity-writes.ts';
import { inlineActivityWrites, writerThreadActivityWrites } from './sqlite-activity-writes.ts';
import { startSqliteWriter } from './sqlite-writer.ts';
import type { ActivityWrites, Store } from './store.ts';

export type StoreLocator = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export type OpenStoreResult =
  | { kind: 'ok'; store: Store; applied: string[] }
  | { kind: 'error'; code: 'store-locator' | 'store-connect' | 'store-migrate'; message: string };

export function parseStoreLocator(text: string): StoreLocator | { kind: 'invalid'; message: string } {
  if (/^postgres(ql)?:\/\//.test(text)) {
    try {
      new URL(text);
    } catch {
      return { kind: 'invalid', message: `Cannot parse database URL "${redact(text)}": not a valid URL` };
    }
    return { kind: 'postgres', url: text };
  }
  const path = text.startsWith('sqlite:') ? text.slice('sqlite:'.length) : text;
  if (path === '') return { kind: 'invalid', message: 'Cannot open database "sqlite:": the path is empty' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return { kind: 'invalid', message: `Cannot open database "${redact(text)}": use postgres://… or a SQLite file path` };
  return { kind: 'sqlite', path };
}

/** `migrations` defaults to the core's; the server passes those of every module (modules.ts). */
export async function openStore(locatorText: string, options: { migrations?: readonly Migration[] } = {}): Promise<OpenStoreResult> {
  const locator = parseStoreLocator(locatorText);
  if (locator.kind === 'invalid') return { kind: 'error', code: 'store-locator', message: locator.message };
  let db: Kysely<Database>;
  let dialect: StoreDialect;
  let checkpointer: Checkpointer | undefined;
  // The hot writes (heartbeats, alerts, pruning), each store its own way; started after migrating.
  let hotWrites: ((db: Kysely<Database>) => { writes: ActivityWrites; close(): Promise<void> }) | undefined;
  try {
    if (locator.kind === 'postgres') {
      dialect = 'postgres';
      const pool = new pg.Pool({ connectionString: locator.url, max: 10, types: { getTypeParser: typeParser } });
      // An idle client's error (a server restart) must not crash the process; the pool replaces it.
      pool.on('error', () => {});
      const client = await pool.connect();
      client.release();
      db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      hotWrites = (kysely) => {
        // Heartbeats' own sessions: commits that do not wait for the WAL flush (postgres-activity-writes.ts).
        // Two connections: one batch is written while the next one gathers.
        const heartbeatPool = new pg.Pool({ connectionString: withSessionOption(locator.url, 'synchronous_commit=off'), max: 2, types: { getTypeParser: typeParser } });
        heartbeatPool.on('error', () => {});
        return { writes: postgresActivityWrites(kysely, pool, heartbeatPool), close: () => heartbeatPool.end() };
      };
    } else {
      dialect = 'sqlite';
      if (locator.path !== ':memory:') mkdirSync(dirname(locator.path), { recursive: true });
      const sqlite = openSqlite(locator.path);
      // This connection serves reads and the rare writes (enrollment, revocation, tokens, rollouts):
      // those commits wait for the fsync. Heartbeats and alerts go through hotWrites.
      sqlite.exec('PRAGMA synchronous = FULL');
      if (locator.path === ':memory:') {
        hotWrites = (kysely) => ({ writes: inlineActivityWrites(kysely, sqlite), close: async () => {} });
      } else {
        sqlite.exec('PRAGMA wal_autocheckpoint = 0');
        const writer = startSqliteWriter(locator.path);
        // After each checkpointer round, the writer checkpoints the rest between two transactions,
        // so that the WAL starts over instead of growing (sqlite-checkpointer.ts).
        checkpointer = startCheckpointer(locator.path, 1000, () => writer.checkpoint());
        hotWrites = () => ({ writes: writerThreadActivityWrites(writer), close: () => writer.close() });
      }
      db = new Kysely<Database>({ dialect: nodeSqliteDialect(sqlite) });
    }
  } catch (error) {
    return { kind: 'error', code: 'store-connect', message: `Cannot open database "${redact(locatorText)}": ${messageOf(error)}` };
  }
  const outcome = await migrate(db, options.migrations ?? coreMigrations, { dialect }).catch((error: unknown) => (
    { kind: 'failed', migration: '(migrator)', message: messageOf(error) } as const));
  if (outcome.kind === 'failed') {
    await db.destroy();
    await checkpointer?.stop();
    return { kind: 'error', code: 'store-migrate', message: `Cannot migrate database: migration "${outcome.migration}" failed: ${outcome.message}` };
  }
  // The writer thread starts once the schema it writes to is there.
  const hot = hotWrites?.(db);
  return { kind: 'ok', store: createKyselyStore(db, dialect, async () => {
    await hot?.close();
    await db.destroy();
    await checkpointer?.stop();
  }, hot?.writes), applied: outcome.applied };
}

/** Parses int8 (bigint) as a JS number: ring3 keeps epoch milliseconds and counters there, all below 2^53. */
function typeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
  return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
}

/** The URL with one more `-c name=value` in its `options` (which may already set a search_path). */
function withSessionOption(url: string, setting: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `${parsed.searchParams.get('options') ?? ''} -c ${setting}`.trim());
  return parsed.toString();
}

/** Hides a password in a database URL before it reaches a message or a log. */
export function redact(text: string): string {
  return text.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
