// Reader in the poll worker: the file sensor without fanotify (not root, or no FID support). Watches the
// configured directory trees with inotify; inotify says what changed but never who changed it.
import { readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import type { FileAction, FileEvent, SensorEvent } from '../../events/index.ts';
import type { ReaderFactory } from '../poll-reader.ts';
import { errnos } from '../linux/libc.ts';
import { readBootId } from '../linux/procfs.ts';

export type InotifyOptions = { paths: string[]; maxWatches: number; hostName?: string };

const IN = {
  CLOSE_WRITE: 0x8, MOVED_FROM: 0x40, MOVED_TO: 0x80, CREATE: 0x100, DELETE: 0x200, Q_OVERFLOW: 0x4000,
  IGNORED: 0x8000, ONLYDIR: 0x1000000, DONT_FOLLOW: 0x2000000, ISDIR: 0x40000000, NONBLOCK: 0x800, CLOEXEC: 0x80000,
} as const;
const watchMask = IN.CLOSE_WRITE | IN.MOVED_FROM | IN.MOVED_TO | IN.CREATE | IN.DELETE | IN.ONLYDIR | IN.DONT_FOLLOW;
const notRead = ['ProcessId', 'ProcessGuid', 'Image', 'User'];

export const createInotifyReader: ReaderFactory<InotifyOptions> = ({ options: opts, libc: c, stats, post }) => {
  const host = { name: opts.hostName ?? hostname(), bootId: readBootId() };
  const fd = c.inotifyInit1(IN.NONBLOCK | IN.CLOEXEC);
  if (fd < 0) return { ok: false, reason: `inotify_init1 failed (errno ${c.errno()})` };
  const dirs = new Map<number, string>();
  let skipped = 0;
  const watchTree = (root: string) => {
    const stack = [root];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      if (dirs.size >= opts.maxWatches) {
        skipped += 1;
        continue;
      }
      const wd = c.inotifyAddWatch(fd, dir, watchMask);
      if (wd < 0) continue;
      dirs.set(wd, dir);
      try {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          if (entry.isDirectory()) stack.push(`${dir === '/' ? '' : dir}/${entry.name}`);
        }
      } catch {
        // A directory that vanished or cannot be read is simply not watched.
      }
    }
  };
  for (const path of opts.paths) watchTree(path);
  const misses = ['the process behind a change (inotify reports no pid)', "ring3's own activity is not excluded"];
  if (skipped > 0) misses.push(`${skipped} directories beyond the watch limit`);
  const buf = Buffer.alloc(64 * 1024);
  const movedFrom = new Map<number, string>();

  const readable = () => {
    const batch: SensorEvent[] = [];
    for (;;) {
      const n = c.read(fd, buf, buf.length);
      if (n <= 0) {
        if (n < 0 && c.errno() !== errnos.EAGAIN) stats.errors += 1;
        break;
      }
      for (let at = 0; at + 16 <= n; ) {
        const wd = buf.readInt32LE(at);
        const mask = buf.readUInt32LE(at + 4);
        const cookie = buf.readUInt32LE(at + 8);
        const len = buf.readUInt32LE(at + 12);
        const raw = buf.toString('utf8', at + 16, at + 16 + len);
        const name = raw.slice(0, raw.indexOf('\0') < 0 ? raw.length : raw.indexOf('\0'));
        at += 16 + len;
        if (mask & IN.Q_OVERFLOW) stats.drops += 1;
        if (mask & IN.IGNORED) dirs.delete(wd);
        const dir = dirs.get(wd);
        if (dir === undefined || name === '') continue;
        const path = `${dir === '/' ? '' : dir}/${name}`;
        if (mask & IN.ISDIR) {
          if (mask & (IN.CREATE | IN.MOVED_TO)) watchTree(path);
          continue;
        }
        if (mask & IN.MOVED_FROM) movedFrom.set(cookie, path);
        const action: FileAction | undefined =
          mask & IN.CREATE ? 'created' : mask & IN.MOVED_TO ? 'renamed' : mask & IN.CLOSE_WRITE ? 'modified' : mask & IN.DELETE ? 'deleted' : undefined;
        if (!action) continue;
        const source = action === 'renamed' ? movedFrom.get(cookie) : undefined;
        if (source !== undefined) movedFrom.delete(cookie);
        const event: FileEvent = {
          kind: 'file_event', '@timestamp': new Date().toISOString(), host, missing: [...notRead], action, TargetFilename: path,
          ...(source === undefined ? {} : { SourceFilename: source }),
        };
        batch.push(event);
      }
      if (movedFrom.size > 1024) movedFrom.clear();
    }
    post(batch);
  };
  return {
    ok: true,
    source: 'inotify',
    misses,
    reader: { fds: () => [fd], readable, due: () => Infinity, tick: () => {}, close: () => void c.close(fd) },
  };
};
