// Opens (or creates) a SQLite file, or `:memory:`, through Node's built-in node:sqlite (no native
// addon to build). WAL: readers never wait for the writer. synchronous=NORMAL is the default of every
// connection (a commit does not wait for the fsync; a power loss may drop the last commits, never
// corrupts the file); each connection raises it to FULL for the commits that must survive a power
// loss (alerts, admin writes): see open-store.ts and sqlite-batch-writes.ts.
import { DatabaseSync } from 'node:sqlite';

export function openSqlite(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  // journal_size_limit: when the WAL starts over, a file grown by a burst is cut back to 64 MiB.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA journal_size_limit = 67108864;');
  return db;
}
