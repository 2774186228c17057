// The SQLite store's heartbeat, alert and pruning writes: rows packed on the caller's thread into
// bounded chunks (jobs), run by the writer thread for a file database, or by the main connection for
// `:memory:` (which a second thread cannot open), one chunk per event-loop turn.
import type { Kysely } from 'kysely';
import type { DatabaseSync } from 'node:sqlite';
import type { Database } from './schema.ts';
import type { ActivityWrites } from './store.ts';
import { alertWidth, packAlerts, prepareBatchRunner, type BatchJob, type SqlValue } from './sqlite-batch-writes.ts';
import { packHeartbeat } from './heartbeat-row.ts';
import type { SqliteWriter, WriteKind } from './sqlite-writer.ts';

/** Rows per job: a chunk of heartbeats takes ~15 ms to write on the 2-core VM. */
export const heartbeatsPerChunk = 500;
export const alertsPerChunk = 1000;
/** Old heartbeats deleted per transaction: pruning a day of a large fleet is millions of rows. */
export const prunedPerChunk = 2000;

type Runner = {
  write(kind: WriteKind, values: SqlValue[]): Promise<Uint8Array>;
  prune(before: number, limit: number): Promise<number>;
};

export function writerThreadActivityWrites(writer: SqliteWriter): ActivityWrites {
  return activityWrites(writer);
}

/** For `:memory:`: the same statements on the main connection, taken through Kysely's connection lock. */
export function inlineActivityWrites(db: Kysely<Database>, sqlite: DatabaseSync): ActivityWrites {
  const runner = prepareBatchRunner(sqlite, 'as-opened');
  const runOne = async (job: BatchJob) => {
    // Let other work run between chunks: a large batch must not hold the event loop in one piece.
    await new Promise((resolve) => setImmediate(resolve));
    const [outcome] = await db.connection().execute(async () => runner.run([job]));
    if (outcome!.kind === 'error') throw Object.assign(new Error(outcome!.message), { code: outcome!.code });
    return outcome!.stored;
  };
  return activityWrites({
    write: async (kind, values) => await runOne({ kind, values }) as Uint8Array,
    prune: async (before, limit) => await runOne({ kind: 'prune', before, limit }) as number,
  });
}

function activityWrites(runner: Runner): ActivityWrites {
  const run = (kind: WriteKind, values: SqlValue[]) => runner.write(kind, values);
  return {
    // One chunk at a time: heartbeat writes sent meanwhile go between the chunks.
    async pruneHeartbeats(before) {
      let removed = 0;
      for (;;) {
        const chunk = await runner.prune(before, prunedPerChunk);
        removed += chunk;
        if (chunk < prunedPerChunk) return removed;
      }
    },
    async recordHeartbeats(records) {
      const sent: Promise<Uint8Array>[] = [];
      for (let start = 0; start < records.length; start += heartbeatsPerChunk) {
        const values: SqlValue[] = [];
        for (const record of records.slice(start, start + heartbeatsPerChunk)) packHeartbeat(record, values);
        sent.push(run('heartbeats', values));
      }
      // Chunks are sent together and committed in order. The status upsert keeps the newest
      // heartbeat of each host whichever chunk it is in, so the outcome is that of one transaction.
      const stored = (await Promise.all(sent)).flatMap((chunk) => Array.from(chunk, (byte) => byte === 1));
      return { stored };
    },
    async storeAlertUploads(uploads) {
      // Chunks hold whole uploads, so each upload's answer comes from one transaction.
      const sent: Promise<Uint8Array>[] = [];
      let values: SqlValue[] = [];
      for (const upload of uploads) {
        if (values.length > 0 && values.length / alertWidth + upload.alerts.length > alertsPerChunk) {
          sent.push(run('alerts', values));
          values = [];
        }
        packAlerts(upload, values);
      }
      if (values.length > 0) sent.push(run('alerts', values));
      const stored = (await Promise.all(sent)).flatMap((chunk) => Array.from(chunk));
      let at = 0;
      return uploads.map(({ alerts }) => ({
        storedIds: alerts.filter(() => stored[at++] === 1).map((alert) => alert.id),
      }));
    },
  };
}
