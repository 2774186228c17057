// The durable alert spool: append-only JSON Lines segments plus a cursor file. A record is on disk
// (in the page cache, so it survives kill -9) when append() returns; fsync policy decides when it also
// survives power loss. Bounded: when full, the oldest segment is evicted and its records counted.
// Upload reads from the cursor and acknowledges; the cursor is written (atomically) before a segment is
// deleted, so a kill at any point loses nothing it has not counted and repeats at most one batch,
// which the server deduplicates by alert id.
import { closeSync, existsSync, fdatasyncSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FsyncPolicy } from './config.ts';

export type SpoolOptions = { dir: string; maxBytes: number; segmentBytes: number; fsync: FsyncPolicy; fsyncIntervalMs: number };

export type SpoolRecord = { id: string } & Record<string, unknown>;

export type SpoolStats = {
  /** Records not yet acknowledged. */
  pending: number;
  bytes: number;
  segments: number;
  /** Since the spool was created (kept in the cursor file). */
  evicted: number;
  acknowledged: number;
  /** This run: records refused for being larger than the whole spool, unreadable lines, write failures. */
  oversized: number;
  corruptLines: number;
  writeErrors: number;
  fsyncs: number;
};

export type Spool = {
  /** Appends one record; false when it could not be written (counted in stats). Never throws. */
  append(record: SpoolRecord): boolean;
  /** Up to `max` of the oldest pending records, in order. */
  peek(max: number): SpoolRecord[];
  /** Moves the cursor over the leading records of the last peek whose ids are acknowledged; returns how many. */
  acknowledge(ids: Iterable<string>): number;
  stats(): SpoolStats;
  /** fsync now (the interval policy does this on a timer). */
  flush(): void;
  close(): void;
};

type Segment = { seq: number; path: string; bytes: number; records: number };
type Cursor = { segment: number; index: number; offset: number; evicted: number; acknowledged: number };
type Peeked = { id: string; segment: number; end: number };

const segmentName = (seq: number) => `${String(seq).padStart(12, '0')}.seg`;

export function openSpool(options: SpoolOptions): Spool {
  mkdirSync(options.dir, { recursive: true });
  const cursorFile = join(options.dir, 'cursor.json');
  let cursor = readCursor(cursorFile);
  let corruptLines = 0;
  let oversized = 0;
  let writeErrors = 0;
  let fsyncs = 0;
  let dirty = false;
  let lastPeek: Peeked[] = [];

  const segments: Segment[] = [];
  for (const name of readdirSync(options.dir).filter((n) => /^\d{12}\.seg$/.test(n)).sort()) {
    const seq = Number(name.slice(0, 12));
    const path = join(options.dir, name);
    // Accounted for in the cursor already (evicted or acknowledged) but not yet deleted when killed.
    if (seq < cursor.segment) { rmSync(path, { force: true }); continue; }
    segments.push(recoverSegment(seq, path, (n) => { corruptLines += n; }));
  }
  if (cursor.segment !== segments[0]?.seq) cursor = { ...cursor, segment: segments[0]?.seq ?? cursor.segment, index: 0, offset: 0 };

  let fd: number | undefined;
  const active = () => segments[segments.length - 1];
  const openActive = () => {
    if (fd === undefined && active()) fd = openSync(active()!.path, 'a');
  };
  const newSegment = () => {
    if (fd !== undefined) { syncFd(fd); closeSync(fd); fd = undefined; }
    const seq = Math.max(active()?.seq ?? 0, cursor.segment) + 1;
    const segment = { seq, path: join(options.dir, segmentName(seq)), bytes: 0, records: 0 };
    segments.push(segment);
    fd = openSync(segment.path, 'a');
    if (segments.length === 1) cursor = { ...cursor, segment: seq, index: 0, offset: 0 };
    syncDir(options.dir);
  };
  const syncFd = (handle: number) => {
    if (options.fsync === 'never' || !dirty) return;
    try { fdatasyncSync(handle); fsyncs += 1; dirty = false; } catch { writeErrors += 1; }
  };
  const saveCursor = () => {
    const tmp = `${cursorFile}.tmp`;
    const handle = openSync(tmp, 'w');
    try {
      writeAll(handle, Buffer.from(`${JSON.stringify(cursor)}\n`));
      if (options.fsync !== 'never') fsyncSync(handle);
    } finally {
      closeSync(handle);
    }
    renameSync(tmp, cursorFile);
  };
  const totalBytes = () => segments.reduce((sum, s) => sum + s.bytes, 0);
  const pending = () => segments.reduce((sum, s) => sum + s.records, 0) - (segments[0]?.seq === cursor.segment ? cursor.index : 0);
  const dropHead = () => {
    const head = segments.shift()!;
    if (head === undefined) return;
    if (fd !== undefined && segments.length === 0) { closeSync(fd); fd = undefined; }
    rmSync(head.path, { force: true });
  };
  const evictOldest = () => {
    const head = segments[0]!;
    const lost = head.records - (cursor.segment === head.seq ? cursor.index : 0);
    const next = segments[1];
    cursor = { ...cursor, segment: next?.seq ?? head.seq + 1, index: 0, offset: 0, evicted: cursor.evicted + lost };
    saveCursor();
    dropHead();
    lastPeek = [];
  };

  const timer = options.fsync === 'interval' ? setInterval(() => { if (fd !== undefined) syncFd(fd); }, options.fsyncIntervalMs) : undefined;
  timer?.unref();

  return {
    append(record) {
      let line: Buffer;
      try {
        line = Buffer.from(`${JSON.stringify(record)}\n`);
      } catch {
        writeErrors += 1;
        return false;
      }
      if (line.length > options.maxBytes) { oversized += 1; return false; }
      try {
        const current = active();
        const consumed = current !== undefined && current.seq === cursor.segment && cursor.index === current.records && current.records > 0;
        if (current === undefined || consumed || current.bytes + line.length > options.segmentBytes) {
          newSegment();
          // A fully acknowledged segment has nothing left to keep.
          if (consumed && segments.length > 1) {
            cursor = { ...cursor, segment: segments[1]!.seq, index: 0, offset: 0 };
            saveCursor();
            dropHead();
          }
        }
        while (totalBytes() + line.length > options.maxBytes && segments.length > 0) {
          if (segments.length === 1) newSegment();
          evictOldest();
        }
        openActive();
        writeAll(fd!, line);
        dirty = true;
        const segment = active()!;
        segment.bytes += line.length;
        segment.records += 1;
        if (options.fsync === 'always') syncFd(fd!);
        return true;
      } catch {
        writeErrors += 1;
        return false;
      }
    },
    peek(max) {
      lastPeek = [];
      const out: SpoolRecord[] = [];
      for (const segment of segments) {
        if (out.length >= max) break;
        const start = segment.seq === cursor.segment ? cursor.offset : 0;
        if (start >= segment.bytes) continue;
        let text: Buffer;
        try {
          text = readRange(segment.path, start, segment.bytes);
        } catch {
          writeErrors += 1;
          break;
        }
        let position = 0;
        while (out.length < max) {
          const newline = text.indexOf(10, position);
          if (newline < 0) break;
          const end = start + newline + 1;
          const record = parseRecord(text.subarray(position, newline));
          position = newline + 1;
          if (record === undefined) { corruptLines += 1; lastPeek.push({ id: '', segment: segment.seq, end }); continue; }
          out.push(record);
          lastPeek.push({ id: record.id, segment: segment.seq, end });
        }
      }
      return out;
    },
    acknowledge(ids) {
      const acked = new Set(ids);
      let moved = 0;
      let skipped = 0;
      let next = cursor;
      for (const entry of lastPeek) {
        // An unreadable line is skipped together with the records around it.
        if (entry.id !== '' && !acked.has(entry.id)) break;
        if (entry.id === '') skipped += 1;
        else moved += 1;
        const index = (next.segment === entry.segment ? next.index : 0) + 1;
        next = { ...next, segment: entry.segment, index, offset: entry.end };
      }
      if (moved + skipped === 0) return 0;
      lastPeek = lastPeek.slice(moved + skipped);
      // A fully read segment other than the one being written is finished: the cursor moves past it.
      const at = segments.findIndex((s) => s.seq === next.segment);
      const here = segments[at];
      if (here !== undefined && here !== active() && next.index >= here.records) next = { ...next, segment: segments[at + 1]!.seq, index: 0, offset: 0 };
      const finished = segments.filter((s) => s.seq < next.segment).length;
      cursor = { ...next, acknowledged: cursor.acknowledged + moved };
      saveCursor();
      for (let i = 0; i < finished; i++) dropHead();
      return moved;
    },
    stats: () => ({
      pending: pending(), bytes: totalBytes(), segments: segments.length, evicted: cursor.evicted,
      acknowledged: cursor.acknowledged, oversized, corruptLines, writeErrors, fsyncs,
    }),
    flush() { if (fd !== undefined) syncFd(fd); },
    close() {
      if (timer) clearInterval(timer);
      if (fd !== undefined) { syncFd(fd); closeSync(fd); fd = undefined; }
    },
  };
}

function readCursor(file: string): Cursor {
  const empty: Cursor = { segment: 0, index: 0, offset: 0, evicted: 0, acknowledged: 0 };
  if (!existsSync(file)) return empty;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<Cursor>;
    const n = (x: unknown) => (typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : 0);
    return { segment: n(value.segment), index: n(value.index), offset: n(value.offset), evicted: n(value.evicted), acknowledged: n(value.acknowledged) };
  } catch {
    // The cursor is only ever replaced by rename; an unreadable one means damage: re-send from the start.
    return empty;
  }
}

/** Counts a segment's records and cuts off a last line that a crash left half-written. */
function recoverSegment(seq: number, path: string, corrupt: (n: number) => void): Segment {
  const bytes = readFileSync(path);
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] !== 10) {
    end = bytes.lastIndexOf(10) + 1;
    const handle = openSync(path, 'r+');
    try { ftruncateSync(handle, end); } finally { closeSync(handle); }
    corrupt(1);
  }
  let records = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 10) records += 1;
  return { seq, path, bytes: end, records };
}

function parseRecord(line: Buffer): SpoolRecord | undefined {
  try {
    const value = JSON.parse(line.toString('utf8')) as unknown;
    if (value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') return value as SpoolRecord;
  } catch {
    // counted by the caller
  }
  return undefined;
}

function readRange(path: string, start: number, end: number): Buffer {
  const handle = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    let read = 0;
    while (read < buffer.length) {
      const n = readSyncAt(handle, buffer, read, start + read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(handle);
  }
}

function readSyncAt(handle: number, buffer: Buffer, offset: number, position: number): number {
  return readSync(handle, buffer, offset, buffer.length - offset, position);
}

function writeAll(handle: number, buffer: Buffer): void {
  let written = 0;
  while (written < buffer.length) written += writeSync(handle, buffer, written, buffer.length - written);
}

function syncDir(dir: string): void {
  try {
    const handle = openSync(dir, 'r');
    try { fsyncSync(handle); } finally { closeSync(handle); }
  } catch {
    // Not every file system syncs directories; the segment still exists after a kill.
  }
}

export function spoolSizeOnDisk(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).filter((n) => n.endsWith('.seg')).reduce((sum, n) => sum + statSync(join(dir, n)).size, 0);
}
