// The large SQLite writes (heartbeats, alerts, pruning) as jobs: rows packed into flat arrays of
// column values by the main thread (cheap, no SQL), run by a connection with prepared statements, one
// execution per row, the jobs of a batch in one transaction. Used by the writer thread
// (sqlite-writer.ts) for file databases and inline for `:memory:` (sqlite-activity-writes.ts).
//
// Why not Kysely here: building a 400-row multi-value INSERT costs more than executing it. Measured
// on the 2-core VM, 100k hosts: ~60 µs per heartbeat through Kysely, ~28 µs with these statements.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { AlertUploadRecord, HeartbeatRecord } from './store.ts';

export type { SqlValue } from './heartbeat-row.ts';
import { heartbeatWidth, type SqlValue } from './heartbeat-row.ts';

/** Columns per packed alert. */
export const alertWidth = 9;

export function packAlerts({ hostId, alerts, receivedAt }: AlertUploadRecord, out: SqlValue[]): void {
  for (const alert of alerts) {
    const occurredAt = Date.parse(alert.time);
    out.push(hostId, alert.id, alert.ruleId, alert.ruleTitle, alert.level, Number.isFinite(occurredAt) ? occurredAt : receivedAt,
      receivedAt, alert.contentVersion, JSON.stringify(alert.event));
  }
}

export type BatchJob =
  | { kind: 'heartbeats'; values: SqlValue[] }
  | { kind: 'alerts'; values: SqlValue[] }
  | { kind: 'prune'; before: number; limit: number };
/** Heartbeats and alerts: byte i is 1 when row i was new (0: a retry); prune: rows deleted. */
export type BatchOutcome = { kind: 'ok'; stored: Uint8Array | number } | { kind: 'error'; message: string; code: string | undefined };

export type BatchRunner = {
  /**
   * Runs the jobs in one transaction, each under its own savepoint: a job that fails (a host deleted
   * meanwhile) is undone alone; one commit, one WAL append, covers them all.
   */
  run(jobs: readonly BatchJob[]): BatchOutcome[];
};

/**
 * `durability: 'per-kind'`: a transaction holding alerts commits with synchronous=FULL (it waits
 * for the WAL fsync), one holding only heartbeats with NORMAL (the writer thread's connection).
 * 'as-opened' leaves the connection's setting alone.
 */
export function prepareBatchRunner(db: DatabaseSync, durability: 'per-kind' | 'as-opened'): BatchRunner {
  let statements: { heartbeat: StatementSync; status: StatementSync; alert: StatementSync; prune: StatementSync } | undefined;
  // Prepared on first use: the writer thread starts before it is sure the schema is there.
  const prepared = () => statements ??= {
    heartbeat: db.prepare(`INSERT INTO heartbeats (host_id, boot_id, seq, received_at, sent_at, interval_s, agent_version,
      content_version, ring, cpu_pct, rss_mb, events_per_s, drops, engine_crashes, engine_restarts, quarantined_count,
      alerts_total, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (host_id, boot_id, seq) DO NOTHING`),
    status: db.prepare(`INSERT INTO host_status (host_id, last_seen_at, boot_id, seq, agent_version, content_version, ring,
      tags, cpu_pct, rss_mb, engine_crashes, quarantined_rules) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (host_id) DO UPDATE SET last_seen_at = excluded.last_seen_at, boot_id = excluded.boot_id,
      seq = excluded.seq, agent_version = excluded.agent_version, content_version = excluded.content_version,
      ring = excluded.ring, tags = excluded.tags, cpu_pct = excluded.cpu_pct, rss_mb = excluded.rss_mb,
      engine_crashes = excluded.engine_crashes, quarantined_rules = excluded.quarantined_rules
      WHERE host_status.last_seen_at <= excluded.last_seen_at`),
    alert: db.prepare(`INSERT INTO alerts (host_id, alert_id, rule_id, rule_title, level, occurred_at, received_at,
      content_version, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (host_id, alert_id) DO NOTHING`),
    prune: db.prepare('DELETE FROM heartbeats WHERE id IN (SELECT id FROM heartbeats WHERE received_at < ? LIMIT ?)'),
  };

  function writeHeartbeats(values: readonly SqlValue[]): Uint8Array {
    const { heartbeat, status } = prepared();
    const count = values.length / heartbeatWidth;
    const stored = new Uint8Array(count);
    // The latest heartbeat of each host in this batch (by receive time, later in the batch on ties).
    const latest = new Map<SqlValue, number>();
    for (let i = 0; i < count; i++) {
      const at = i * heartbeatWidth;
      stored[i] = Number(heartbeat.run(...values.slice(at, at + 18)).changes) > 0 ? 1 : 0;
      const seen = latest.get(values[at]!);
      if (seen === undefined || (values[seen * heartbeatWidth + 3] as number) <= (values[at + 3] as number)) latest.set(values[at]!, i);
    }
    for (const i of latest.values()) {
      const at = i * heartbeatWidth;
      const v = (column: number) => values[at + column]!;
      status.run(v(0), v(3), v(1), v(2), v(6), v(7), v(8), v(18), v(9), v(10), v(13), v(19));
    }
    return stored;
  }

  function writeAlerts(values: readonly SqlValue[]): Uint8Array {
    const { alert } = prepared();
    const count = values.length / alertWidth;
    const stored = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const at = i * alertWidth;
      stored[i] = Number(alert.run(...values.slice(at, at + alertWidth)).changes) > 0 ? 1 : 0;
    }
    return stored;
  }

  const failed = (error: unknown): BatchOutcome => {
    const code = (error as { code?: unknown }).code;
    return { kind: 'error', message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : undefined };
  };

  return {
    run(jobs) {
      if (jobs.length === 0) return [];
      // Alerts are acknowledged to the agent, which then deletes them from its spool: a transaction
      // holding any waits for the WAL fsync, so an acknowledged alert survives a power loss.
      if (durability === 'per-kind') db.exec(`PRAGMA synchronous = ${jobs.some((job) => job.kind === 'alerts') ? 'FULL' : 'NORMAL'}`);
      try {
        // IMMEDIATE: take the write lock up front, so a busy database waits here (busy_timeout)
        // instead of failing half-way when a read lock cannot be upgraded.
        db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        return jobs.map(() => failed(error));
      }
      const outcomes: BatchOutcome[] = [];
      for (const job of jobs) {
        db.exec('SAVEPOINT job');
        try {
          const stored = job.kind === 'heartbeats' ? writeHeartbeats(job.values)
            : job.kind === 'alerts' ? writeAlerts(job.values)
            : Number(prepared().prune.run(job.before, job.limit).changes);
          db.exec('RELEASE job');
          outcomes.push({ kind: 'ok', stored });
        } catch (error) {
          // Some errors (disk full, I/O) end the whole transaction: then every job of it failed.
          if (!db.isTransaction) return jobs.map(() => failed(error));
          db.exec('ROLLBACK TO job');
          db.exec('RELEASE job');
          outcomes.push(failed(error));
        }
      }
      try {
        db.exec('COMMIT');
        return outcomes;
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        return jobs.map(() => failed(error));
      }
    },
  };
}
