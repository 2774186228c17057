// /proc reads for the hot path of the process sensor, straight through libc into one reused buffer:
// no exceptions, no fstat, no per-read allocation. A short-lived process is often gone within half a
// millisecond of its exec, so every microsecond here is a command line captured or lost.
import { formatCmdline, parseStat, type ProcSnapshot } from './procfs.ts';
import type { Libc } from './libc.ts';

const O_RDONLY_CLOEXEC = 0x80000;

export type FastProcReader = {
  /** Everything /proc knows about the process. */
  (pid: number): ProcSnapshot;
  /** What vanishes at exit (command line, image, cwd); `complete` adds what a zombie still has. */
  fleeting(pid: number): ProcSnapshot;
  complete(snapshot: ProcSnapshot): ProcSnapshot;
};

export function createFastProcReader(c: Libc, root = '/proc'): FastProcReader {
  const buf = Buffer.alloc(256 * 1024);
  const readText = (path: string): string | undefined => {
    const fd = c.open(path, O_RDONLY_CLOEXEC);
    if (fd < 0) return undefined;
    let length = 0;
    for (;;) {
      const n = c.read(fd, length === 0 ? buf : buf.subarray(length), buf.length - length);
      if (n <= 0) break;
      length += n;
      if (length >= buf.length) break;
    }
    c.close(fd);
    return buf.toString('latin1', 0, length);
  };
  const readLink = (path: string): string | undefined => {
    const n = c.readlink(path, buf, buf.length);
    return n < 0 ? undefined : buf.toString('utf8', 0, n);
  };
  const fleeting = (pid: number): ProcSnapshot => {
    const dir = `${root}/${pid}`;
    const snapshot: ProcSnapshot = { pid };
    const cmdline = readText(`${dir}/cmdline`);
    if (cmdline) snapshot.cmdline = formatCmdline(cmdline);
    const image = readLink(`${dir}/exe`);
    if (image !== undefined) snapshot.image = image.endsWith(' (deleted)') ? image.slice(0, -10) : image;
    const cwd = readLink(`${dir}/cwd`);
    if (cwd !== undefined) snapshot.cwd = cwd;
    return snapshot;
  };
  const complete = (snapshot: ProcSnapshot): ProcSnapshot => {
    const dir = `${root}/${snapshot.pid}`;
    const stat = readText(`${dir}/stat`);
    if (stat !== undefined) Object.assign(snapshot, parseStat(stat));
    const status = readText(`${dir}/status`);
    const uid = status === undefined ? undefined : /\nUid:\s+\d+\s+(\d+)/.exec(status);
    if (uid) snapshot.uid = Number(uid[1]);
    return snapshot;
  };
  return Object.assign((pid: number) => complete(fleeting(pid)), { fleeting, complete });
}
