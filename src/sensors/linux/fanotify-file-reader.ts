// Reader in the poll worker: fanotify with directory-entry reporting (FAN_REPORT_DFID_NAME) on whole
// filesystems → file_event (created, modified = closed after writing, deleted, renamed). ring3's own
// pid is skipped.
import { hostname } from 'node:os';
import { readlinkSync } from 'node:fs';
import type { FileAction, FileEvent, SensorEvent } from '../../events/index.ts';
import type { ReaderFactory } from '../poll-reader.ts';
import { fan, infoType, parseFanotify, type FanotifyEvent, type FanotifyName } from './fanotify.ts';
import { errnos, type Libc } from './libc.ts';
import { createProcessInfoReader } from './process-info.ts';
import { readBootId } from './procfs.ts';
import { createUserNames } from './users.ts';

export type FanotifyFileOptions = { mounts: string[]; prefixes: string[]; hostName?: string };

const O_RDONLY = 0;
const O_LARGEFILE = 0x8000;
const O_PATH = 0x200000;
const O_DIRECTORY = 0x10000;
const O_CLOEXEC = 0x80000;

export const createFanotifyFileReader: ReaderFactory<FanotifyFileOptions> = ({ options: opts, libc: c, stats, post }) => {
  const fd = c.fanotifyInit(fan.CLASS_NOTIF | fan.CLOEXEC | fan.NONBLOCK | fan.REPORT_DFID_NAME, O_RDONLY | O_LARGEFILE);
  if (fd < 0) return { ok: false, reason: `fanotify_init(FAN_REPORT_DFID_NAME) failed (errno ${c.errno()})` };
  const base = fan.CREATE | fan.DELETE | fan.CLOSE_WRITE | fan.ONDIR;
  let renameMask: number = fan.RENAME;
  const mountFds: number[] = [];
  for (const mount of opts.mounts) {
    let ok = c.fanotifyMark(fd, fan.MARK_ADD | fan.MARK_FILESYSTEM, BigInt(base | renameMask), -100, mount);
    if (ok < 0 && renameMask === fan.RENAME) {
      // Kernels before 5.17 have no FAN_RENAME; moves then arrive as MOVED_FROM / MOVED_TO.
      renameMask = fan.MOVED_FROM | fan.MOVED_TO;
      ok = c.fanotifyMark(fd, fan.MARK_ADD | fan.MARK_FILESYSTEM, BigInt(base | renameMask), -100, mount);
    }
    if (ok < 0) {
      const errno = c.errno();
      mountFds.forEach((m) => c.close(m));
      c.close(fd);
      return { ok: false, reason: `fanotify_mark(FAN_MARK_FILESYSTEM, "${mount}") failed (errno ${errno})` };
    }
    mountFds.push(c.open(mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
  const bootId = readBootId();
  const host = { name: opts.hostName ?? hostname(), bootId };
  const processes = createProcessInfoReader({ bootId, users: createUserNames() });
  const dirs = createDirResolver(c, mountFds);
  const matchesPrefix = (path: string) =>
    opts.prefixes.length === 0 || opts.prefixes.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
  const buf = Buffer.alloc(64 * 1024);

  const readable = () => {
    const batch: SensorEvent[] = [];
    while (batch.length < 1024) {
      const n = c.read(fd, buf, buf.length);
      if (n <= 0) {
        if (n < 0 && c.errno() !== errnos.EAGAIN && c.errno() !== errnos.EINTR) stats.errors += 1;
        break;
      }
      for (const event of parseFanotify(buf, n)) {
        if (event.mask & fan.Q_OVERFLOW) {
          stats.drops += 1;
          stats.counters['queue_overflows'] = (stats.counters['queue_overflows'] ?? 0) + 1;
          continue;
        }
        if (event.mask & fan.ONDIR) {
          // A directory moved or vanished: cached directory paths may now be wrong.
          if (event.mask & (fan.RENAME | fan.MOVED_FROM | fan.MOVED_TO | fan.DELETE)) dirs.clear();
          continue;
        }
        if (event.pid === process.pid) continue;
        const built = toFileEvents(event, host, dirs.resolve, processes);
        if (built === undefined) stats.errors += 1;
        else batch.push(...built.filter((e) => matchesPrefix(e.TargetFilename)));
      }
    }
    post(batch);
  };
  return {
    ok: true,
    source: renameMask === fan.RENAME ? 'fanotify-dfid-name' : 'fanotify-dfid-name-moves',
    misses: [],
    reader: {
      fds: () => [fd],
      readable,
      due: () => Infinity,
      tick: () => {},
      close() {
        mountFds.forEach((m) => c.close(m));
        c.close(fd);
      },
    },
  };
};

/** One event per action: the kernel merges queued events on the same name (create + close-write). */
function toFileEvents(
  event: FanotifyEvent,
  host: FileEvent['host'],
  resolve: (name: FanotifyName) => string | undefined,
  processes: ReturnType<typeof createProcessInfoReader>,
): FileEvent[] | undefined {
  const actions = actionsOf(event.mask);
  const target = event.names.find((n) => n.type !== infoType.OLD_DFID_NAME);
  if (actions.length === 0 || !target) return undefined;
  const path = resolve(target);
  if (path === undefined) return undefined;
  const source = event.names.find((n) => n.type === infoType.OLD_DFID_NAME);
  const sourcePath = source ? resolve(source) : undefined;
  const who = event.pid > 0 ? processes(event.pid) : { info: undefined, missing: ['ProcessId', 'Image', 'User'] };
  const timestamp = new Date().toISOString();
  return actions.map((action) => ({
    kind: 'file_event', '@timestamp': timestamp, host, missing: [...who.missing], action, TargetFilename: path,
    ...(action === 'renamed' && sourcePath !== undefined ? { SourceFilename: sourcePath } : {}), ...who.info,
  }));
}

function actionsOf(mask: number): FileAction[] {
  const actions: FileAction[] = [];
  if (mask & fan.CREATE) actions.push('created');
  if (mask & (fan.RENAME | fan.MOVED_TO)) actions.push('renamed');
  if (mask & fan.CLOSE_WRITE) actions.push('modified');
  if (mask & fan.DELETE) actions.push('deleted');
  return actions;
}

/** Directory file handle → path, through open_by_handle_at (needs CAP_DAC_READ_SEARCH). */
function createDirResolver(c: Libc, mountFds: number[]) {
  const cache = new Map<string, string>();
  return {
    clear: () => cache.clear(),
    resolve(name: FanotifyName): string | undefined {
      let dir = cache.get(name.dirKey);
      if (dir === undefined) {
        for (const mountFd of mountFds) {
          const dirFd = c.openByHandleAt(mountFd, name.handle, O_PATH | O_CLOEXEC);
          if (dirFd < 0) continue;
          try {
            dir = readlinkSync(`/proc/self/fd/${dirFd}`);
          } catch {
            dir = undefined;
          }
          c.close(dirFd);
          if (dir !== undefined) break;
        }
        if (dir === undefined) return undefined;
        if (cache.size > 4096) cache.clear();
        cache.set(name.dirKey, dir);
      }
      return name.name === '' || name.name === '.' ? dir : `${dir === '/' ? '' : dir}/${name.name}`;
    },
  };
}
