// The SQLite writer thread on its own: writes queued together share a message and each gets its
// own answer, close finishes what was sent, a database it cannot open fails writes, not the process,
// alerts are committed durably, and the WAL starts over after a checkpoint.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../../src/server/storage/open-store.ts';
import { packAlerts, prepareBatchRunner, type SqlValue } from '../../../src/server/storage/sqlite-batch-writes.ts';
import { heartbeatWidth, packHeartbeat } from '../../../src/server/storage/heartbeat-row.ts';
import { openSqlite } from '../../../src/server/storage/open-sqlite.ts';
import { startSqliteWriter } from '../../../src/server/storage/sqlite-writer.ts';
import { alert, heartbeat } from '../fixtures.ts';

test('writes sent together are answered one by one; a failing one fails alone; close finishes them first', async () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'ring3-writer-'));
  try {
    const path = join(dir, 'server.db');
    const opened = await openStore(path);
    assert.equal(opened.kind, 'ok');
    if (opened.kind !== 'ok') return;
    await opened.store.db.insertInto('hosts').values({ id: 'h1', hostname: 'one', tags: '[]', credential_hash: 'x', enrollment_token_id: null, enrolled_at: 1, revoked_at: null }).execute();
    const writer = startSqliteWriter(path, { lingerMs: 20 });
    const beats = (hostId: string, seqs: number[]) => {
      const values: SqlValue[] = [];
      for (const seq of seqs) packHeartbeat({ hostId, receivedAt: 1000 + seq, heartbeat: heartbeat({ seq }) }, values);
      return values;
    };
    const alerts: SqlValue[] = [];
    packAlerts({ hostId: 'h1', receivedAt: 1000, alerts: [alert('a1'), alert('a2')] }, alerts);
    const first = writer.write('heartbeats', beats('h1', [1, 2]));
    const unknownHost = writer.write('heartbeats', beats('ghost', [1]));
    const retry = writer.write('heartbeats', beats('h1', [2, 3]));
    const uploaded = writer.write('alerts', alerts);
    const closing = writer.close();
    assert.deepEqual([...await first], [1, 1]);
    await assert.rejects(unknownHost, /SQLite writer: FOREIGN KEY constraint failed/);
    assert.deepEqual([...await retry], [0, 1]);
    assert.deepEqual([...await uploaded], [1, 1]);
    await closing;
    await assert.rejects(writer.write('heartbeats', beats('h1', [4])), /closed/);
    assert.equal((await opened.store.listHeartbeats({ since: 0, until: 1e12 })).length, 3);
    assert.equal((await opened.store.getHost('h1'))?.status?.seq, 3);
    assert.equal(beats('h1', [1]).length, heartbeatWidth);
    await opened.store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database the thread cannot open fails each write with the reason', async () => {
  const writer = startSqliteWriter(join(os.tmpdir(), 'ring3-no-such-dir', 'x', 'server.db'), { lingerMs: 0 });
  await assert.rejects(writer.write('alerts', []), /SQLite writer: unable to open database file/);
  await assert.rejects(writer.write('alerts', []), /SQLite writer: unable to open database file/);
  await writer.close();
});

test('a transaction holding alerts commits with synchronous=FULL, one of heartbeats only with NORMAL', async () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'ring3-writer-'));
  try {
    const path = join(dir, 'server.db');
    const opened = await openStore(path);
    assert.equal(opened.kind, 'ok');
    if (opened.kind !== 'ok') return;
    await opened.store.db.insertInto('hosts').values({ id: 'h1', hostname: 'one', tags: '[]', credential_hash: 'x', enrollment_token_id: null, enrolled_at: 1, revoked_at: null }).execute();
    await opened.store.close();
    const db = openSqlite(path);
    const runner = prepareBatchRunner(db, 'per-kind');
    const synchronous = () => (db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous;
    const beat: SqlValue[] = [];
    packHeartbeat({ hostId: 'h1', receivedAt: 1000, heartbeat: heartbeat() }, beat);
    const alerts: SqlValue[] = [];
    packAlerts({ hostId: 'h1', receivedAt: 1000, alerts: [alert('a1')] }, alerts);
    assert.deepEqual(runner.run([{ kind: 'heartbeats', values: beat }]).map((o) => o.kind), ['ok']);
    assert.equal(synchronous(), 1);
    assert.deepEqual(runner.run([{ kind: 'heartbeats', values: beat }, { kind: 'alerts', values: alerts }]).map((o) => o.kind), ['ok', 'ok']);
    assert.equal(synchronous(), 2);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after a checkpoint between two of its transactions, the writer starts the WAL over instead of growing it', async () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'ring3-writer-'));
  try {
    const path = join(dir, 'server.db');
    const opened = await openStore(path);
    assert.equal(opened.kind, 'ok');
    if (opened.kind !== 'ok') return;
    const hosts = Array.from({ length: 300 }, (_, i) => `h${i}`);
    await opened.store.db.insertInto('hosts').values(hosts.map((id) => ({ id, hostname: id, tags: '[]', credential_hash: 'x', enrollment_token_id: null, enrolled_at: 1, revoked_at: null }))).execute();
    await opened.store.close();
    const writer = startSqliteWriter(path, { lingerMs: 0 });
    const round = (seq: number) => {
      const values: SqlValue[] = [];
      for (const hostId of hosts) packHeartbeat({ hostId, receivedAt: seq, heartbeat: heartbeat({ seq }) }, values);
      return writer.write('heartbeats', values);
    };
    const walBytes = () => statSync(`${path}-wal`).size;
    await round(1);
    await round(2);
    const grown = walBytes();
    await round(3);
    assert.ok(walBytes() > grown, 'without a checkpoint, the WAL grows');
    writer.checkpoint();
    const before = walBytes();
    await round(4);
    // Everything was copied into the database file: round 4 was written from the start of the WAL.
    assert.equal(walBytes(), before);
    await writer.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
