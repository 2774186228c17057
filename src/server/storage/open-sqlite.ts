// Opens (or creates) a SQLite file, or `:memory:`, through Node's built-in node:sqlite (no native
// addon to build), tuned for one writer: WAL, and commits that do not wait for fsync (a crash may
// lose the last moments of heartbeats; agents resend unacknowledged alerts, so none are lost).
import { DatabaseSync } from 'node:sqlite';

export function openSqlite(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  return db;
}
